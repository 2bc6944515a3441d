import { AicError } from '@aic/core';
import {
  readSafetensors,
  type SafetensorsTensor,
  tensorFromArray,
  tensorToArray,
  writeSafetensors,
} from '@aic/core/safetensors';
import { z } from 'zod';
import type { RuntimeBackend } from './backend.ts';
import type { BatchScheduleState } from './batch-schedule.ts';
import type { Commitment } from './commitment.ts';
import type { StateArray } from './model-state.ts';

/** Everything needed to continue a job exactly where it stopped. */
export interface Checkpoint {
  readonly jobDigest: `0x${string}`;
  readonly backend: RuntimeBackend;
  readonly step: number;
  readonly rng: BatchScheduleState;
  /** c_0 … c_i so far (the last one is this checkpoint's). */
  readonly commitments: readonly Commitment[];
  /** H(batch indices) of the segment that ended here: with the state below it recomputes c_i from this file alone. */
  readonly segmentBatchesDigest: `0x${string}`;
  readonly weights: readonly StateArray[];
  readonly optimizer: readonly StateArray[];
}

const hex32 = z.string().regex(/^0x[0-9a-f]{64}$/);
const u32 = z.number().int().min(0).max(0xffff_ffff);
const metaSchema = z.strictObject({
  format: z.literal('aic-checkpoint/1'),
  jobDigest: hex32,
  backend: z.enum(['cpu', 'wasm', 'webgpu']),
  step: z.number().int().nonnegative(),
  rng: z.strictObject({
    epochStartPrng: z.tuple([u32, u32, u32, u32]),
    epoch: z.number().int().nonnegative(),
    cursor: z.number().int().nonnegative(),
  }),
  commitments: z.array(z.strictObject({ step: z.number().int().nonnegative(), hash: hex32 })).max(1_000_000),
  segmentBatchesDigest: hex32,
  weightNames: z.array(z.string().max(200)).max(10_000),
  optimizerNames: z.array(z.string().max(200)).max(20_000),
});

const key = (prefix: string, i: number) => `${prefix}/${String(i).padStart(5, '0')}`;

/** Serializes a checkpoint as a JSON document and one safetensors file (weights `w/…`, optimizer state `o/…`). */
export function checkpointToFiles(checkpoint: Checkpoint): { json: string; tensors: Uint8Array } {
  const tensors: Record<string, SafetensorsTensor> = {};
  checkpoint.weights.forEach((a, i) => {
    tensors[key('w', i)] = tensorFromArray(a.data, a.shape);
  });
  checkpoint.optimizer.forEach((a, i) => {
    tensors[key('o', i)] = tensorFromArray(a.data, a.shape);
  });
  const meta: z.infer<typeof metaSchema> = {
    format: 'aic-checkpoint/1',
    jobDigest: checkpoint.jobDigest,
    backend: checkpoint.backend,
    step: checkpoint.step,
    rng: { ...checkpoint.rng, epochStartPrng: [...checkpoint.rng.epochStartPrng] },
    commitments: [...checkpoint.commitments],
    segmentBatchesDigest: checkpoint.segmentBatchesDigest,
    weightNames: checkpoint.weights.map((a) => a.name),
    optimizerNames: checkpoint.optimizer.map((a) => a.name),
  };
  return { json: JSON.stringify(meta), tensors: writeSafetensors(tensors, { format: 'aic-checkpoint/1' }) };
}

function arraysFrom(tensors: ReadonlyMap<string, SafetensorsTensor>, prefix: string, names: string[]): StateArray[] {
  return names.map((name, i) => {
    const t = tensors.get(key(prefix, i));
    if (t === undefined || (t.dtype !== 'F32' && t.dtype !== 'I32')) {
      throw new AicError('RUNTIME_CHECKPOINT_INVALID', `checkpoint lacks tensor ${key(prefix, i)}`);
    }
    const data = tensorToArray(t) as Float32Array | Int32Array;
    if (t.dtype === 'F32' && !data.every(Number.isFinite)) {
      throw new AicError('MODEL_WEIGHTS_NOT_FINITE', `checkpoint tensor ${key(prefix, i)} holds NaN or Infinity`);
    }
    return { name, shape: [...t.shape], data };
  });
}

/** Parses and checks a checkpoint (untrusted input). Throws RUNTIME_CHECKPOINT_INVALID or MODEL_WEIGHTS_NOT_FINITE. */
export function checkpointFromFiles(json: string, tensorBytes: Uint8Array): Checkpoint {
  let meta: z.infer<typeof metaSchema>;
  try {
    meta = metaSchema.parse(JSON.parse(json));
  } catch (cause) {
    throw new AicError('RUNTIME_CHECKPOINT_INVALID', 'checkpoint JSON is malformed', { cause });
  }
  const { tensors } = readSafetensors(tensorBytes);
  return {
    jobDigest: meta.jobDigest as `0x${string}`,
    backend: meta.backend,
    step: meta.step,
    rng: meta.rng,
    commitments: meta.commitments.map((c) => ({ step: c.step, hash: c.hash as `0x${string}` })),
    segmentBatchesDigest: meta.segmentBatchesDigest as `0x${string}`,
    weights: arraysFrom(tensors, 'w', meta.weightNames),
    optimizer: arraysFrom(tensors, 'o', meta.optimizerNames),
  };
}
