import { AicError } from '@aic/core';
import * as tf from '@tensorflow/tfjs-core';
import type * as tfl from '@tensorflow/tfjs-layers';
import { buildModel } from '../graph/build-model.ts';
import { DEFAULT_MODEL_LIMITS, type ModelLimits } from '../limits.ts';
import { useBackend } from './backend.ts';
import { BatchSchedule, type BatchScheduleState } from './batch-schedule.ts';
import { canonicalJson } from './canonical-json.ts';
import type { Checkpoint } from './checkpoint.ts';
import { type Commitment, commitmentHash, commitmentRoot, createDigest, sha256Bytes } from './commitment.ts';
import { checkDataset, type TensorDataset } from './dataset.ts';
import { type JobSpec, type ResolvedJob, resolveJob } from './job.ts';
import {
  hashStateArrays,
  readModelWeights,
  readOptimizerState,
  writeModelWeights,
  writeOptimizerState,
} from './model-state.ts';
import { prngStateFromSeed } from './prng.ts';
import { createShardedStep } from './sharded-step.ts';
import type { ShardRole } from './shards.ts';
import { compileModel } from './trained-model.ts';
import { cidOfBytes, weightsToSafetensors } from './weights-file.ts';

/** Emitted at every commitment: the latest batch's loss (and accuracy for classification). */
export interface TrainProgress {
  readonly step: number;
  readonly totalSteps: number;
  readonly epoch: number;
  readonly loss: number;
  readonly accuracy?: number;
}

export interface TrainOptions {
  readonly onProgress?: (event: TrainProgress) => void;
  /** Called with a full checkpoint at every commitment (only then is the state serialized). */
  readonly onCheckpoint?: (checkpoint: Checkpoint) => void | Promise<void>;
  /** Continue a job from one of its checkpoints. */
  readonly resumeFrom?: Checkpoint;
  /** Emit progress every this many steps as well (default: at commitments only); each read-back costs a sync. */
  readonly progressEverySteps?: number;
  /** Stop after this step (a commitment step), e.g. to simulate preemption. */
  readonly stopAfterStep?: number;
  readonly limits?: ModelLimits;
  readonly signal?: AbortSignal;
  /** Between steps, let the event loop run once this many ms have passed since it last ran (default 200). */
  readonly yieldEveryMs?: number;
  /** A sharded job's rank and reducer (default: rank 0 of 1, every microbatch here). Ignored by unsharded jobs. */
  readonly shard?: ShardRole;
}

/**
 * Training runs on its caller's thread (a verifier re-runs segments inside its node process), and a step that reads
 * nothing back is fully synchronous: without yielding, 50 MNIST steps held the event loop for 10.6-13.5 s in one piece
 * (load ~7 on 2 cores; tens of seconds under heavier load), so a verifier node missed libp2p's 20 s ping deadline,
 * dropped all its connections and timed out its own checkpoint prefetch (30 s), again on every retry. With a yield
 * (a macrotask, not a microtask) every 200 ms the longest hold is one step (~0.5 s); results are bit-identical.
 */
const DEFAULT_YIELD_EVERY_MS = 200;
const yieldToEventLoop = () =>
  new Promise<void>((resolve) => (typeof setImmediate === 'function' ? setImmediate(resolve) : setTimeout(resolve, 0)));

export interface TrainResult {
  readonly job: ResolvedJob;
  /** The trained model (compiled); the caller disposes it. */
  readonly model: tfl.LayersModel;
  readonly steps: number;
  readonly commitments: readonly Commitment[];
  /** Merkle root over all c_i (keccak256, OpenZeppelin-compatible). */
  readonly commitmentRoot: `0x${string}`;
  /** H(weights) at the last step, 0x hex SHA-256. */
  readonly weightsHash: `0x${string}`;
  /** The final weights as a safetensors file, and its CIDv1. */
  readonly weights: Uint8Array;
  readonly resultCid: string;
  readonly finalLoss: number;
}

type TrainFunction = (data: tf.Tensor[]) => tf.Scalar[];

// The compiled model's own training function: the one `model.fit` runs per batch (loss, gradients, optimizer
// update, BatchNormalization statistics). Using it keeps the math identical to bare TensorFlow.js.
// A Sequential delegates training to its inner LayersModel (`model.model`), as Sequential.fit does.
function trainFunctionOf(model: tfl.LayersModel): TrainFunction {
  const inner = (model as unknown as { model?: tfl.LayersModel }).model ?? model;
  return (inner as unknown as { makeTrainFunction(): TrainFunction }).makeTrainFunction();
}

const hex = (bytes: Uint8Array) => `0x${Buffer.from(bytes).toString('hex')}` as `0x${string}`;

/** H(rng state): SHA-256 of the canonical JSON of the batch schedule state. */
export const rngDigest = (rng: BatchScheduleState): Uint8Array =>
  sha256Bytes(new TextEncoder().encode(canonicalJson(rng)));

interface Session {
  readonly job: ResolvedJob;
  readonly model: tfl.LayersModel;
  readonly optimizer: tf.Optimizer;
  readonly schedule: BatchSchedule;
  readonly commitments: Commitment[];
  step: number;
}

async function commit(s: Session, batches: Uint8Array, onCheckpoint: TrainOptions['onCheckpoint']) {
  const weights = await readModelWeights(s.model);
  const optimizer = await readOptimizerState(s.optimizer);
  const rng = s.schedule.state;
  const digests = {
    weights: hashStateArrays(weights),
    optimizer: hashStateArrays(optimizer),
    rng: rngDigest(rng),
    batches,
  };
  s.commitments.push({ step: s.step, hash: commitmentHash(s.step, digests) });
  if (onCheckpoint) {
    const { jobDigest, backend } = s.job;
    const commitments = [...s.commitments];
    await onCheckpoint({
      jobDigest,
      backend,
      step: s.step,
      rng,
      commitments,
      segmentBatchesDigest: hex(batches),
      weights,
      optimizer,
    });
  }
}

async function openSession(job: ResolvedJob, data: TensorDataset, resume: Checkpoint | undefined): Promise<Session> {
  if (resume && (resume.jobDigest !== job.jobDigest || resume.backend !== job.backend)) {
    throw new AicError('RUNTIME_CHECKPOINT_MISMATCH', 'the checkpoint belongs to a different job or backend', {
      details: { checkpointJob: resume.jobDigest, job: job.jobDigest },
    });
  }
  await useBackend(job.backend);
  const model = buildModel(job.model.graph, job.seed);
  const { learningRate, optimizer: kind } = job.settings;
  const optimizer = kind === 'adam' ? tf.train.adam(learningRate) : tf.train.sgd(learningRate);
  compileModel(model, job.model.manifest.architecture.loss, optimizer);
  if (!resume) {
    const schedule = new BatchSchedule(data.count, {
      epochStartPrng: prngStateFromSeed(job.seed),
      epoch: 0,
      cursor: 0,
    });
    return { job, model, optimizer, schedule, commitments: [], step: 0 };
  }
  writeModelWeights(model, resume.weights);
  await writeOptimizerState(optimizer, resume.optimizer);
  const schedule = new BatchSchedule(data.count, resume.rng);
  return { job, model, optimizer, schedule, commitments: [...resume.commitments], step: resume.step };
}

async function finish(s: Session, finalLoss: number): Promise<TrainResult> {
  const weights = await readModelWeights(s.model);
  // the job's optimizer state is not part of the result: free it, and give the model an optimizer it owns
  s.optimizer.dispose();
  compileModel(s.model, s.job.model.manifest.architecture.loss);
  const file = weightsToSafetensors(weights, { job: s.job.jobDigest });
  return {
    job: s.job,
    model: s.model,
    steps: s.step,
    commitments: s.commitments,
    commitmentRoot: commitmentRoot(s.commitments),
    weightsHash: hex(hashStateArrays(weights)),
    weights: file,
    resultCid: await cidOfBytes(file),
    finalLoss,
  };
}

/**
 * Trains a job deterministically: seeded initial weights, a seeded batch order, and a commitment
 * c_i = keccak(step, H(weights), H(optimizer), H(rng), H(batch indices)) at step 0, every K steps and at the last
 * step. Same spec + data + backend (cpu or wasm) ⇒ bit-identical weights and commitments; resuming from any
 * checkpoint reproduces the later commitments exactly.
 *
 * @example
 * const result = await trainJob({ manifest, backend: 'wasm', seed: 7 }, data, { onProgress: (p) => console.log(p.loss) });
 * console.log(result.commitmentRoot, result.resultCid);
 */
export async function trainJob(spec: JobSpec, data: TensorDataset, options: TrainOptions = {}): Promise<TrainResult> {
  checkDataset(data);
  const job = resolveJob(spec, data, options.limits ?? DEFAULT_MODEL_LIMITS);
  const s = await openSession(job, data, options.resumeFrom);
  const x = tf.tensor(data.features, [data.count, ...data.featureShape]);
  const y = tf.tensor(data.labels, [data.count, ...data.labelShape]);
  const trainStep = trainFunctionOf(s.model);
  const shardedStep =
    job.microbatches === undefined ? undefined : createShardedStep(s.model, s.optimizer, job, x, y, options.shard);
  let finalLoss = Number.NaN;
  try {
    if (!options.resumeFrom) await commit(s, sha256Bytes(new Uint8Array(0)), options.onCheckpoint);
    let batches = createDigest();
    const yieldEveryMs = options.yieldEveryMs ?? DEFAULT_YIELD_EVERY_MS;
    let yieldedAt = performance.now();
    while (s.step < job.totalSteps) {
      if (performance.now() - yieldedAt >= yieldEveryMs) {
        await yieldToEventLoop();
        yieldedAt = performance.now();
      }
      if (options.signal?.aborted) {
        throw new AicError('RUNTIME_ABORTED', `training stopped at step ${s.step}`, { cause: options.signal.reason });
      }
      const indices = s.schedule.next(job.settings.batchSize);
      batches.update(indices);
      s.step++;
      const atCommit = s.step % job.commitEverySteps === 0 || s.step === job.totalSteps;
      if (shardedStep) {
        // the reduced vector carries the step's loss: no read-back needed
        finalLoss = await shardedStep(indices, s.step);
        if (atCommit) {
          await commit(s, batches.digest(), options.onCheckpoint);
          batches = createDigest();
        }
        const every = options.progressEverySteps ?? Number.POSITIVE_INFINITY;
        if (atCommit || s.step % every === 0) {
          options.onProgress?.({
            step: s.step,
            totalSteps: job.totalSteps,
            epoch: s.schedule.state.epoch,
            loss: finalLoss,
          });
        }
        if (atCommit && options.stopAfterStep !== undefined && s.step >= options.stopAfterStep) break;
        continue;
      }
      // the train function keeps its loss and metric tensors out of tidy: they are disposed here
      const outs = tf.tidy(() => {
        const picked = tf.tensor1d(indices, 'int32');
        return trainStep([tf.gather(x, picked), tf.gather(y, picked)]);
      });
      const every = options.progressEverySteps ?? Number.POSITIVE_INFINITY;
      const atProgress = options.onProgress !== undefined && s.step % every === 0;
      if (!atCommit && !atProgress) {
        tf.dispose(outs);
        continue;
      }
      const [loss = Number.NaN, accuracy] = await Promise.all(outs.map(async (t) => (await t.data())[0] as number));
      tf.dispose(outs);
      finalLoss = loss;
      if (atCommit) {
        await commit(s, batches.digest(), options.onCheckpoint);
        batches = createDigest();
      }
      const progress = { step: s.step, totalSteps: job.totalSteps, epoch: s.schedule.state.epoch, loss };
      options.onProgress?.(accuracy === undefined ? progress : { ...progress, accuracy });
      if (atCommit && options.stopAfterStep !== undefined && s.step >= options.stopAfterStep) break;
    }
    return await finish(s, finalLoss);
  } catch (error) {
    s.model.dispose();
    s.optimizer.dispose();
    throw error;
  } finally {
    x.dispose();
    y.dispose();
  }
}
