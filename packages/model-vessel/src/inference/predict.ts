import { AicError } from '@aic/core';
import * as tf from '@tensorflow/tfjs-core';
import type * as tfl from '@tensorflow/tfjs-layers';
import type { ModelManifest } from '../manifest/schema.ts';

/** Most samples in one inference call (bounds the memory a caller can make the owner's node spend). */
export const MAX_SAMPLES_PER_CALL = 256;

/**
 * Checks inference inputs against the manifest's input spec: `count` samples of the declared shape, finite values.
 * Throws MODEL_CALL_INPUT_INVALID.
 */
export function checkCallInputs(manifest: ModelManifest, inputs: Float32Array, count: number): void {
  const shape = manifest.inputs[0]?.shape ?? [];
  const width = shape.reduce((a, d) => a * d, 1);
  const bad = (reason: string): never => {
    throw new AicError('MODEL_CALL_INPUT_INVALID', reason, { details: { shape, count } });
  };
  if (!Number.isSafeInteger(count) || count < 1 || count > MAX_SAMPLES_PER_CALL)
    bad(`count must be 1..${MAX_SAMPLES_PER_CALL}`);
  if (inputs.length !== count * width)
    bad(`expected ${count} × [${shape}] = ${count * width} values, got ${inputs.length}`);
  for (let i = 0; i < inputs.length; i++) if (!Number.isFinite(inputs[i] as number)) bad(`input ${i} is not finite`);
}

/** Runs the model on `count` samples and returns the outputs, row-major ([count, ...output shape]). */
export async function predict(
  model: tfl.LayersModel,
  manifest: ModelManifest,
  inputs: Float32Array,
  count: number,
): Promise<Float32Array> {
  checkCallInputs(manifest, inputs, count);
  const shape = manifest.inputs[0]?.shape ?? [];
  const output = tf.tidy(() => model.predict(tf.tensor(inputs, [count, ...shape])) as tf.Tensor);
  try {
    return (await output.data()) as Float32Array;
  } finally {
    output.dispose();
  }
}
