import { AicError } from '@aic/core';
import * as tf from '@tensorflow/tfjs-core';
import type * as tfl from '@tensorflow/tfjs-layers';
import type { ResolvedJob } from './job.ts';
import { localReducer, microbatchesOfRank, microbatchRanges, type ShardRole } from './shards.ts';

type LossFunction = (yTrue: tf.Tensor, yPred: tf.Tensor) => tf.Tensor;

// Layers whose training-mode forward pass keeps state of its own (BatchNormalization's moving statistics are updated
// per call): per-microbatch calls on different workers would leave them different on each, so sharded jobs refuse
// them. Dropout is fine: its mask comes from a fixed per-layer seed, the same on every worker.
const NOT_SHARDABLE = new Set(['BatchNormalization']);

/** Throws RUNTIME_SHARDING_UNSUPPORTED when a sharded job's model or worker count cannot be sharded. */
export function checkShardable(job: ResolvedJob, workers: number): void {
  const layer = job.model.graph.layers.find((l) => NOT_SHARDABLE.has(l.className));
  if (job.microbatches !== undefined && layer) {
    throw new AicError('RUNTIME_SHARDING_UNSUPPORTED', `${layer.className} layers cannot be trained sharded`, {
      details: { layer: layer.className },
    });
  }
  const m = job.microbatches ?? 1;
  if (!Number.isSafeInteger(workers) || workers < 1 || workers > m) {
    throw new AicError('RUNTIME_SHARDING_UNSUPPORTED', `${workers} workers cannot share ${m} microbatches per step`, {
      details: { workers, microbatches: m },
    });
  }
}

/** One step of a sharded job on one rank: its microbatch gradients, the reduction, the optimizer update. */
export type ShardedStep = (indices: Int32Array, step: number) => Promise<number>;

/**
 * The sharded training step. Each microbatch's gradient is d/dθ (Σ_i loss_i / B) over its rows (B the step's batch
 * length), so the fold of all M is the gradient of the batch's mean loss; the microbatch's loss share rides as one
 * more float at the end of its gradient vector, so the reduced vector also carries the step's loss.
 */
export function createShardedStep(
  model: tfl.LayersModel,
  optimizer: tf.Optimizer,
  job: ResolvedJob,
  x: tf.Tensor,
  y: tf.Tensor,
  role: ShardRole | undefined,
): ShardedStep {
  const microbatches = job.microbatches ?? 1;
  const { rank, workers, reducer } = role ?? { rank: 0, workers: 1, reducer: localReducer };
  checkShardable(job, workers);
  const inner = (model as unknown as { model?: tfl.LayersModel }).model ?? model;
  const lossFn = (inner as unknown as { lossFunctions: LossFunction[] }).lossFunctions[0] as LossFunction;
  const variables = model.trainableWeights.map((w) => w.read() as tf.Variable);
  const sizes = variables.map((v) => v.size);
  const length = sizes.reduce((a, b) => a + b, 0) + 1;
  const own = microbatchesOfRank(microbatches, workers, rank);

  const gradientOf = (rows: Int32Array, batchLength: number): Float32Array => {
    const flat = new Float32Array(length);
    const { value, grads } = tf.tidy(() => {
      const picked = tf.tensor1d(rows, 'int32');
      const xb = tf.gather(x, picked);
      const yb = tf.gather(y, picked);
      return tf.variableGrads(() => {
        const predicted = model.apply(xb, { training: true }) as tf.Tensor;
        return tf.div(tf.sum(lossFn(yb, predicted)), batchLength) as tf.Scalar;
      }, variables);
    });
    let offset = 0;
    variables.forEach((v, i) => {
      const g = grads[v.name] as tf.Tensor;
      flat.set(g.dataSync() as Float32Array, offset);
      offset += sizes[i] as number;
    });
    flat[length - 1] = value.dataSync()[0] as number;
    tf.dispose([value, ...Object.values(grads)]);
    return flat;
  };

  const apply = (sum: Float32Array) => {
    const named: Record<string, tf.Tensor> = {};
    let offset = 0;
    variables.forEach((v, i) => {
      const size = sizes[i] as number;
      named[v.name] = tf.tensor(sum.subarray(offset, offset + size), v.shape, 'float32');
      offset += size;
    });
    optimizer.applyGradients(named);
    tf.dispose(Object.values(named));
  };

  return async (indices, step) => {
    const ranges = microbatchRanges(indices.length, microbatches);
    const gradients: Float32Array[] = [];
    for (let j = own.start; j < own.end; j++) {
      const r = ranges[j];
      if (r && r.end > r.start) gradients.push(gradientOf(indices.subarray(r.start, r.end), indices.length));
    }
    const sum = await reducer.reduce(step, gradients, length);
    apply(sum);
    return sum[length - 1] as number;
  };
}
