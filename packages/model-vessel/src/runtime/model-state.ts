import * as tf from '@tensorflow/tfjs-core';
import type * as tfl from '@tensorflow/tfjs-layers';
import { createDigest } from './commitment.ts';

/** A tensor's values copied out of the backend. */
export interface StateArray {
  readonly name: string;
  readonly shape: readonly number[];
  readonly data: Float32Array | Int32Array;
}

/** Every model weight (trainable and not, e.g. BatchNormalization moving statistics) in `model.weights` order. */
export async function readModelWeights(model: tfl.LayersModel): Promise<StateArray[]> {
  return Promise.all(
    model.weights.map(async (w) => {
      const value = w.read();
      return { name: w.name, shape: value.shape, data: (await value.data()) as Float32Array };
    }),
  );
}

/** Loads weights (in `model.weights` order) into the model. */
export function writeModelWeights(model: tfl.LayersModel, arrays: readonly StateArray[]): void {
  const tensors = arrays.map((a) => tf.tensor(a.data, [...a.shape], 'float32'));
  model.setWeights(tensors);
  for (const t of tensors) t.dispose();
}

// Adam keeps beta1^t and beta2^t in two variables that getWeights() omits and setWeights() recomputes with pow(),
// which is not bit-identical to the running product. We save and restore them explicitly.
interface AdamPowers {
  accBeta1?: tf.Variable;
  accBeta2?: tf.Variable;
}

/** Optimizer state: iteration count, slot variables (e.g. Adam moments), and Adam's beta powers. */
export async function readOptimizerState(optimizer: tf.Optimizer): Promise<StateArray[]> {
  const named = await optimizer.getWeights();
  const out: StateArray[] = [];
  for (const [i, { name, tensor }] of named.entries()) {
    out.push({ name, shape: tensor.shape, data: (await tensor.data()) as Float32Array | Int32Array });
    if (i === 0) tensor.dispose(); // the iteration scalar is a fresh tensor; the others are live variables
  }
  const powers = optimizer as unknown as AdamPowers;
  for (const key of ['accBeta1', 'accBeta2'] as const) {
    const v = powers[key];
    if (v) out.push({ name: key, shape: [], data: (await v.data()) as Float32Array });
  }
  return out;
}

/** Restores what readOptimizerState saved. */
export async function writeOptimizerState(optimizer: tf.Optimizer, arrays: readonly StateArray[]): Promise<void> {
  const slots = arrays.filter((a) => a.name !== 'accBeta1' && a.name !== 'accBeta2');
  const named = slots.map((a, i) => ({
    name: a.name,
    tensor: tf.tensor(a.data, [...a.shape], i === 0 ? 'int32' : 'float32'),
  }));
  await optimizer.setWeights(named);
  for (const n of named) n.tensor.dispose(); // setWeights made variables sharing the data
  const powers = optimizer as unknown as AdamPowers;
  for (const a of arrays) {
    const v = a.name === 'accBeta1' ? powers.accBeta1 : a.name === 'accBeta2' ? powers.accBeta2 : undefined;
    if (v) tf.tidy(() => v.assign(tf.scalar(a.data[0] as number)));
  }
}

/** SHA-256 over the arrays' little-endian bytes, in order (shapes are fixed by the manifest, so order suffices). */
export function hashStateArrays(arrays: readonly StateArray[]): Uint8Array {
  const d = createDigest();
  for (const a of arrays) d.update(a.data);
  return d.digest();
}
