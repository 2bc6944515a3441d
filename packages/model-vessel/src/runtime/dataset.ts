import { AicError } from '@aic/core';
import { readSafetensors, type SafetensorsTensor, tensorToArray } from '@aic/core/safetensors';
import { createDigest } from './commitment.ts';

/**
 * A training or evaluation set in memory: `count` samples of `featureShape` features and `labelShape` labels
 * (row-major). Classification labels are class ids with labelShape [1]; regression labels are values.
 */
export interface TensorDataset {
  readonly features: Float32Array;
  readonly featureShape: readonly number[];
  readonly labels: Float32Array;
  readonly labelShape: readonly number[];
  readonly count: number;
}

const product = (shape: readonly number[]) => shape.reduce((a, d) => a * d, 1);

function refuse(reason: string, details: Record<string, unknown> = {}): never {
  throw new AicError('RUNTIME_DATA_INVALID', reason, { details });
}

/** Checks sizes and that every value is finite (NaN/Inf in data would poison every later commitment). */
export function checkDataset(data: TensorDataset): void {
  if (!Number.isSafeInteger(data.count) || data.count < 1) refuse('dataset needs at least one sample');
  if (data.features.length !== data.count * product(data.featureShape)) {
    refuse('features length does not match count × featureShape', { featureShape: data.featureShape });
  }
  if (data.labels.length !== data.count * product(data.labelShape)) {
    refuse('labels length does not match count × labelShape', { labelShape: data.labelShape });
  }
  for (const [name, values] of [
    ['features', data.features],
    ['labels', data.labels],
  ] as const) {
    for (let i = 0; i < values.length; i++) {
      if (!Number.isFinite(values[i] as number)) refuse(`${name} contain a non-finite value at ${i}`, { index: i });
    }
  }
}

/** SHA-256 over shapes and values: the dataset's identity inside a job digest. */
export function datasetDigest(data: TensorDataset): Uint8Array {
  const d = createDigest();
  d.update(new Int32Array([data.count, ...data.featureShape, -1, ...data.labelShape]));
  d.update(data.features);
  d.update(data.labels);
  return d.digest();
}

function asFloat32(tensor: SafetensorsTensor | undefined, name: string): Float32Array {
  if (tensor === undefined) refuse(`safetensors file has no "${name}" tensor`);
  if (tensor.dtype === 'F32') return tensorToArray(tensor) as Float32Array;
  if (['F64', 'I32', 'U8', 'I64', 'BOOL', 'I16', 'U16', 'I8'].includes(tensor.dtype)) {
    const source = tensorToArray(tensor);
    return Float32Array.from(source as ArrayLike<number>, (v) => Number(v));
  }
  return refuse(`tensor "${name}" has unsupported dtype ${tensor.dtype}`);
}

/**
 * A dataset from a safetensors file with tensors `features` [count, ...] and `labels` [count, ...] (the Data Vessel
 * shard layout). The file is validated as untrusted input.
 */
export function datasetFromSafetensors(bytes: Uint8Array): TensorDataset {
  const { tensors } = readSafetensors(bytes);
  const features = tensors.get('features');
  const labels = tensors.get('labels');
  const x = asFloat32(features, 'features');
  const y = asFloat32(labels, 'labels');
  const count = features?.shape[0] ?? 0;
  if (labels?.shape[0] !== count) refuse('features and labels have different sample counts');
  const labelShape = labels.shape.length > 1 ? labels.shape.slice(1) : [1];
  const data = { features: x, featureShape: features?.shape.slice(1) ?? [], labels: y, labelShape, count };
  checkDataset(data);
  return data;
}
