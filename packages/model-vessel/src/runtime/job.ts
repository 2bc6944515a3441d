import { AicError } from '@aic/core';
import { bytesToHex0x } from '@aic/core/merkle';
import { z } from 'zod';
import { DEFAULT_MODEL_LIMITS, type ModelLimits } from '../limits.ts';
import { type HyperparameterValue, resolveHyperparameters } from '../manifest/hyperparameters.ts';
import { type ValidatedModel, validateManifest } from '../manifest/validate.ts';
import { RUNTIME_BACKENDS, type RuntimeBackend } from './backend.ts';
import { stepsFor } from './batch-schedule.ts';
import { canonicalJson } from './canonical-json.ts';
import { sha256Bytes } from './commitment.ts';
import { datasetDigest, type TensorDataset } from './dataset.ts';

/**
 * How a job on a non-deterministic backend (webgpu) is verified: a verifier re-runs a sampled segment on the first of
 * `verifyBackends` it has and accepts it when the claimed weights and optimizer state are within `maxRelativeL2`
 * (‖claimed − recomputed‖ / ‖recomputed‖) of its own, with the batch order exact. Part of the ticket, so the bound
 * is what the requester paid for and the quote states.
 */
export const toleranceSchema = z.strictObject({
  maxRelativeL2: z.number().positive().max(1),
  verifyBackends: z.array(z.enum(RUNTIME_BACKENDS)).min(1).max(RUNTIME_BACKENDS.length),
});
export type Tolerance = z.output<typeof toleranceSchema>;

/** What a requester asks for: a manifest, the backend, the seed, hyperparameter overrides and the commitment period. */
export const jobSpecSchema = z.strictObject({
  manifest: z.unknown(),
  backend: z.enum(RUNTIME_BACKENDS),
  seed: z.number().int().min(0).max(0xffff_ffff),
  hyperparameters: z.record(z.string(), z.union([z.number(), z.string(), z.boolean()])).optional(),
  /** K: a commitment every K optimizer steps (and one at step 0 and one at the last step). */
  commitEverySteps: z.number().int().min(1).max(1_000_000).default(50),
  /**
   * M: a sharded (MSMG) job cuts each step's batch into M microbatches whose gradients are summed in a fixed order
   * (runtime/shards.ts), so 1 … M workers train it to the same commitments. Absent: the fused one-worker step.
   */
  microbatches: z.number().int().min(1).max(1024).optional(),
  /** Tolerant verification's terms; only read for a non-deterministic backend (cpu and wasm jobs are exact). */
  tolerance: toleranceSchema.optional(),
});
export type JobSpec = z.input<typeof jobSpecSchema>;

/** The training settings the runtime reads from the resolved hyperparameters. */
export interface TrainingSettings {
  readonly epochs: number;
  readonly batchSize: number;
  readonly learningRate: number;
  readonly optimizer: 'adam' | 'sgd';
}

/** A job after every check: the validated model, settings, step count and the digest that names the job. */
export interface ResolvedJob {
  readonly model: ValidatedModel;
  readonly backend: RuntimeBackend;
  readonly seed: number;
  readonly hyperparameters: Readonly<Record<string, HyperparameterValue>>;
  readonly settings: TrainingSettings;
  readonly commitEverySteps: number;
  readonly totalSteps: number;
  /** M of a sharded job (absent for the fused one-worker step). */
  readonly microbatches?: number;
  /** SHA-256 of (manifest, backend, seed, hyperparameters, K, dataset): a checkpoint resumes only its own job. */
  readonly jobDigest: `0x${string}`;
}

function setting<T>(
  values: Record<string, HyperparameterValue>,
  name: string,
  fallback: T,
  ok: (v: unknown) => boolean,
): T {
  const value = values[name] ?? fallback;
  if (!ok(value)) {
    throw new AicError(
      'MODEL_HYPERPARAMETER_INVALID',
      `hyperparameter ${name} = ${JSON.stringify(value)} is not usable`,
      {
        details: { issues: [{ path: `hyperparameters.${name}`, reason: 'not usable by the runtime' }] },
      },
    );
  }
  return value as T;
}

function settingsFrom(values: Record<string, HyperparameterValue>, limits: ModelLimits): TrainingSettings {
  const posInt = (v: unknown) => typeof v === 'number' && Number.isSafeInteger(v) && v > 0;
  return {
    epochs: setting(values, 'epochs', 1, posInt),
    batchSize: setting(values, 'batchSize', 32, (v) => posInt(v) && (v as number) <= limits.maxBatchSize),
    learningRate: setting(values, 'learningRate', 0.001, (v) => typeof v === 'number' && v > 0 && v < 10),
    optimizer: setting(values, 'optimizer', 'adam', (v) => v === 'adam' || v === 'sgd'),
  };
}

// tfjs 4.22's wasm backend lacks the gradient kernels of these layers (UnsortedSegmentSum, Conv2DBackpropFilter).
const NOT_TRAINABLE_ON_WASM = new Set(['Embedding', 'Conv1D', 'Conv2D']);

function checkBackendSupportsModel(model: ValidatedModel, backend: RuntimeBackend): void {
  const layer = model.graph.layers.find((l) => NOT_TRAINABLE_ON_WASM.has(l.className));
  if (backend === 'wasm' && layer) {
    throw new AicError('RUNTIME_BACKEND_UNSUPPORTED', `${layer.className} layers cannot be trained on wasm; use cpu`, {
      details: { backend, layer: layer.className },
    });
  }
}

function checkDataMatchesModel(model: ValidatedModel, data: TensorDataset): void {
  const input = model.manifest.inputs[0];
  if (input && input.shape.join() !== data.featureShape.join()) {
    throw new AicError(
      'RUNTIME_DATA_INVALID',
      `features are [${data.featureShape}] per sample, the model wants [${input.shape}]`,
    );
  }
}

/**
 * A dataset as its public manifest describes it, without the data: what a requester knows before paying.
 * `task` and `classCount` (when given) are checked against the model's output and loss too.
 */
export interface DatasetShape {
  readonly featureShape: readonly number[];
  /** Per-row label shape; [] and [1] both mean one value (a class id or a regression target) per row. */
  readonly labelShape: readonly number[];
  /** Training rows (the train split). */
  readonly count: number;
  readonly task?: 'classification' | 'regression';
  readonly classCount?: number;
}

/** A job resolved from its dataset's shape only: everything but the digest, which needs the data. */
export type ResolvedJobShape = Omit<ResolvedJob, 'jobDigest'>;

function schemaMismatch(reason: string, details: Record<string, unknown>): never {
  throw new AicError('JOB_SCHEMA_MISMATCH', reason, { details });
}

const sameShape = (a: readonly number[], b: readonly number[]) => a.join() === b.join();
const oneValue = (shape: readonly number[]) => shape.length === 0 || sameShape(shape, [1]);

/** The model's output and loss against the dataset's labels: class ids, one-hot rows or regression targets. */
function checkLabelsFitModel(model: ValidatedModel, data: DatasetShape): void {
  const output = model.manifest.outputs[0]?.shape ?? [];
  const loss = model.manifest.architecture.loss;
  const details = { output, labels: data.labelShape, loss, task: data.task, classes: data.classCount };
  if (data.task === 'regression') {
    if (loss !== 'meanSquaredError')
      schemaMismatch(`a regression dataset needs a regression loss, not ${loss}`, details);
    const width = oneValue(data.labelShape) ? [1] : data.labelShape;
    if (!sameShape(output, width)) schemaMismatch(`the model outputs [${output}], the labels are [${width}]`, details);
    return;
  }
  if (loss === 'meanSquaredError') schemaMismatch('a classification dataset needs a classification loss', details);
  const classes = data.classCount;
  if (loss === 'categoricalCrossentropy') {
    if (!sameShape(output, data.labelShape)) schemaMismatch('one-hot labels must match the model output', details);
    return;
  }
  if (!oneValue(data.labelShape))
    schemaMismatch(`class-id labels are one value per row, not [${data.labelShape}]`, details);
  const width = output.at(-1) ?? 0;
  if (loss === 'binaryCrossentropy') {
    if (width !== 1 || (classes !== undefined && classes > 2))
      schemaMismatch('binary loss needs 2 classes, 1 output', details);
    return;
  }
  if (classes !== undefined && width !== classes) {
    schemaMismatch(`the model outputs ${width} classes, the dataset has ${classes}`, details);
  }
}

/**
 * Checks that a dataset (by its shape) fits a validated model's input, output and loss.
 * Throws JOB_SCHEMA_MISMATCH with the shapes in its details.
 */
export function checkDatasetFitsModel(model: ValidatedModel, data: DatasetShape): void {
  const input = model.manifest.inputs[0]?.shape ?? [];
  if (!sameShape(input, data.featureShape)) {
    schemaMismatch(`features are [${data.featureShape}] per row, the model wants [${input}]`, {
      input,
      features: data.featureShape,
    });
  }
  if (data.task !== undefined) checkLabelsFitModel(model, data);
}

function parseSpec(spec: JobSpec) {
  const parsed = jobSpecSchema.safeParse(spec);
  if (!parsed.success) {
    const issues = parsed.error.issues.map((i) => ({ path: i.path.join('.'), reason: i.message }));
    throw new AicError('JOB_SPEC_INVALID', issues.map((i) => `${i.path}: ${i.reason}`).join('; '), {
      details: { issues },
    });
  }
  return parsed.data;
}

function resolveWithModel(
  job: z.output<typeof jobSpecSchema>,
  model: ValidatedModel,
  count: number,
  limits: ModelLimits,
): ResolvedJobShape {
  checkBackendSupportsModel(model, job.backend);
  const hyperparameters = resolveHyperparameters(model.manifest.hyperparameters, job.hyperparameters);
  const settings = settingsFrom(hyperparameters, limits);
  const totalSteps = stepsFor(count, settings.batchSize, settings.epochs);
  if (totalSteps > limits.maxSteps) {
    throw new AicError('MODEL_TOO_LARGE', `${totalSteps} steps exceed the limit of ${limits.maxSteps}`, {
      details: { issues: [{ path: 'hyperparameters.epochs', reason: 'too many steps' }] },
    });
  }
  return {
    model,
    backend: job.backend,
    seed: job.seed,
    hyperparameters,
    settings,
    commitEverySteps: job.commitEverySteps,
    totalSteps,
    ...(job.microbatches === undefined ? {} : { microbatches: job.microbatches }),
  };
}

/**
 * Resolves a job from its dataset's shape only (the public manifest: shapes, train rows, classes), before any data
 * is fetched: a requester quotes with it and refuses a dataset that does not fit the model before paying.
 * Throws what {@link resolveJob} throws, with JOB_SCHEMA_MISMATCH for a dataset that does not fit.
 *
 * @example resolveJobShape(spec, { featureShape: [4], labelShape: [], count: 120, task: 'classification', classCount: 3 })
 */
export function resolveJobShape(
  spec: JobSpec,
  data: DatasetShape,
  limits: ModelLimits = DEFAULT_MODEL_LIMITS,
): ResolvedJobShape {
  const job = parseSpec(spec);
  const model = validateManifest(job.manifest, limits);
  checkDatasetFitsModel(model, data);
  return resolveWithModel(job, model, data.count, limits);
}

/**
 * Validates a job spec against its data and the limits, and resolves everything training needs.
 * Throws the manifest errors of `validateManifest`, MODEL_HYPERPARAMETER_INVALID, MODEL_TOO_LARGE (too many steps),
 * RUNTIME_DATA_INVALID or JOB_SPEC_INVALID.
 */
export function resolveJob(
  spec: JobSpec,
  data: TensorDataset,
  limits: ModelLimits = DEFAULT_MODEL_LIMITS,
): ResolvedJob {
  const job = parseSpec(spec);
  const model = validateManifest(job.manifest, limits);
  checkDataMatchesModel(model, data);
  const resolved = resolveWithModel(job, model, data.count, limits);
  const identity = canonicalJson({
    manifest: model.manifest,
    backend: job.backend,
    seed: job.seed,
    hyperparameters: resolved.hyperparameters,
    commitEverySteps: job.commitEverySteps,
    // only sharded jobs name M, so the digests of unsharded jobs are what they were
    ...(job.microbatches === undefined ? {} : { microbatches: job.microbatches }),
    // likewise only jobs with tolerant-verification terms name them
    ...(job.tolerance === undefined ? {} : { tolerance: job.tolerance }),
    data: bytesToHex0x(datasetDigest(data)),
  });
  const jobDigest = bytesToHex0x(sha256Bytes(new TextEncoder().encode(identity)));
  return { ...resolved, jobDigest };
}
