import { AicError } from '@aic/core';
import { readSafetensors, type SafetensorsTensor, tensorToArray } from '@aic/core/safetensors';

/** The decoded tensors of one shard. */
export interface ShardTensors {
  readonly rows: number;
  readonly features: Float32Array | Int32Array;
  readonly featureShape: readonly number[];
  readonly labels: Float32Array | Int32Array;
}

/** Reads a shard file (untrusted bytes) back into typed arrays. Throws SAFETENSORS_* or DATA_SHARD_INVALID. */
export function readShard(bytes: Uint8Array): ShardTensors {
  const { tensors } = readSafetensors(bytes);
  const features = tensors.get('features');
  const labels = tensors.get('labels');
  const ok = (t: SafetensorsTensor | undefined): t is SafetensorsTensor =>
    t !== undefined && (t.dtype === 'F32' || t.dtype === 'I32') && t.shape.length >= 1;
  if (!ok(features) || !ok(labels) || features.shape[0] !== labels.shape[0]) {
    throw new AicError('DATA_SHARD_INVALID', 'a shard holds F32/I32 tensors "features" and "labels" with equal rows');
  }
  return {
    rows: features.shape[0] as number,
    features: tensorToArray(features) as Float32Array | Int32Array,
    featureShape: features.shape.slice(1),
    labels: tensorToArray(labels) as Float32Array | Int32Array,
  };
}
