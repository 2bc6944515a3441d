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

/** What a requester asks for: a manifest, the backend, the seed, hyperparameter overrides and the commitment period. */
export const jobSpecSchema = z.strictObject({
  manifest: z.unknown(),
  backend: z.enum(RUNTIME_BACKENDS),
  seed: z.number().int().min(0).max(0xffff_ffff),
  hyperparameters: z.record(z.string(), z.union([z.number(), z.string(), z.boolean()])).optional(),
  /** K: a commitment every K optimizer steps (and one at step 0 and one at the last step). */
  commitEverySteps: z.number().int().min(1).max(1_000_000).default(50),
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
 * Validates a job spec against its data and the limits, and resolves everything training needs.
 * Throws the manifest errors of `validateManifest`, MODEL_HYPERPARAMETER_INVALID, MODEL_TOO_LARGE (too many steps),
 * RUNTIME_DATA_INVALID or JOB_SPEC_INVALID.
 */
export function resolveJob(
  spec: JobSpec,
  data: TensorDataset,
  limits: ModelLimits = DEFAULT_MODEL_LIMITS,
): ResolvedJob {
  const parsed = jobSpecSchema.safeParse(spec);
  if (!parsed.success) {
    const issues = parsed.error.issues.map((i) => ({ path: i.path.join('.'), reason: i.message }));
    throw new AicError('JOB_SPEC_INVALID', issues.map((i) => `${i.path}: ${i.reason}`).join('; '), {
      details: { issues },
    });
  }
  const job = parsed.data;
  const model = validateManifest(job.manifest, limits);
  checkDataMatchesModel(model, data);
  checkBackendSupportsModel(model, job.backend);
  const hyperparameters = resolveHyperparameters(model.manifest.hyperparameters, job.hyperparameters);
  const settings = settingsFrom(hyperparameters, limits);
  const totalSteps = stepsFor(data.count, settings.batchSize, settings.epochs);
  if (totalSteps > limits.maxSteps) {
    throw new AicError('MODEL_TOO_LARGE', `${totalSteps} steps exceed the limit of ${limits.maxSteps}`, {
      details: { issues: [{ path: 'hyperparameters.epochs', reason: 'too many steps' }] },
    });
  }
  const identity = canonicalJson({
    manifest: model.manifest,
    backend: job.backend,
    seed: job.seed,
    hyperparameters,
    commitEverySteps: job.commitEverySteps,
    data: bytesToHex0x(datasetDigest(data)),
  });
  const jobDigest = bytesToHex0x(sha256Bytes(new TextEncoder().encode(identity)));
  return {
    model,
    backend: job.backend,
    seed: job.seed,
    hyperparameters,
    settings,
    commitEverySteps: job.commitEverySteps,
    totalSteps,
    jobDigest,
  };
}
