import { AicError } from '@aic/core';
import type { StateArray } from './model-state.ts';

/** How far apart two weight sets are: the largest absolute difference and the relative L2 distance ‖a−b‖ / ‖a‖. */
export interface WeightsDistance {
  readonly maxAbs: number;
  readonly relativeL2: number;
}

/**
 * The distance between two weight sets of the same architecture, for tolerant verification (webgpu, or comparing
 * backends), where bit equality cannot be expected. Throws VERIFY_SHAPE_MISMATCH when the sets differ in shape.
 */
export function weightsDistance(a: readonly StateArray[], b: readonly StateArray[]): WeightsDistance {
  if (a.length !== b.length || a.some((w, i) => w.data.length !== b[i]?.data.length)) {
    throw new AicError('VERIFY_SHAPE_MISMATCH', 'the two weight sets have different shapes');
  }
  let maxAbs = 0;
  let diff2 = 0;
  let norm2 = 0;
  a.forEach((w, i) => {
    const other = (b[i] as StateArray).data;
    for (let j = 0; j < w.data.length; j++) {
      const x = w.data[j] as number;
      const d = x - (other[j] as number);
      maxAbs = Math.max(maxAbs, Math.abs(d));
      diff2 += d * d;
      norm2 += x * x;
    }
  });
  return { maxAbs, relativeL2: norm2 === 0 ? Math.sqrt(diff2) : Math.sqrt(diff2 / norm2) };
}
