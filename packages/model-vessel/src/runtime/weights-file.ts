import { AicError } from '@aic/core';
import {
  readSafetensors,
  type SafetensorsTensor,
  tensorFromArray,
  tensorToArray,
  writeSafetensors,
} from '@aic/core/safetensors';
import { CID } from 'multiformats/cid';
import * as raw from 'multiformats/codecs/raw';
import { sha256 } from 'multiformats/hashes/sha2';
import type { StateArray } from './model-state.ts';

const weightKey = (i: number) => `weight/${String(i).padStart(5, '0')}`;

/** The model's weights as a safetensors file: tensors `weight/00000…` in `model.weights` order. */
export function weightsToSafetensors(
  weights: readonly StateArray[],
  metadata: Record<string, string> = {},
): Uint8Array {
  const tensors: Record<string, SafetensorsTensor> = {};
  weights.forEach((w, i) => {
    tensors[weightKey(i)] = tensorFromArray(w.data, w.shape);
  });
  // tfjs weight names carry process-global counters (dense_Dense3/kernel), so they stay out of the file: its bytes,
  // and so its CID, depend only on the values
  return writeSafetensors(tensors, metadata);
}

/**
 * Reads a weights file (untrusted): structure checked by the safetensors reader, every value must be finite.
 * Throws SAFETENSORS_* or MODEL_WEIGHTS_NOT_FINITE.
 */
export function weightsFromSafetensors(bytes: Uint8Array): StateArray[] {
  const { tensors } = readSafetensors(bytes);
  const out: StateArray[] = [];
  for (let i = 0; tensors.has(weightKey(i)); i++) {
    const t = tensors.get(weightKey(i)) as SafetensorsTensor;
    if (t.dtype !== 'F32') throw new AicError('MODEL_WEIGHTS_INVALID', `${weightKey(i)} must be F32`);
    const data = tensorToArray(t) as Float32Array;
    for (let j = 0; j < data.length; j++) {
      if (!Number.isFinite(data[j] as number)) {
        throw new AicError('MODEL_WEIGHTS_NOT_FINITE', `${weightKey(i)} holds NaN or Infinity at ${j}`, {
          details: { tensor: weightKey(i), index: j },
        });
      }
    }
    out.push({ name: weightKey(i), shape: [...t.shape], data });
  }
  if (out.length !== tensors.size) throw new AicError('MODEL_WEIGHTS_INVALID', 'weights file has unexpected tensors');
  return out;
}

/** CIDv1 (raw codec, sha2-256) of a file's bytes: the content address of a weights file. */
export async function cidOfBytes(bytes: Uint8Array): Promise<string> {
  return CID.create(1, raw.code, await sha256.digest(bytes)).toString();
}
