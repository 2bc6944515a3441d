import { z } from 'zod';
import { DEFAULT_VIVALDI_CONFIG } from './vivaldi.ts';

/**
 * A Vivaldi coordinate on the wire (coordinate exchange responses, provider offers). zod 4 numbers already exclude
 * NaN and ±Infinity; the bounds keep a lying peer from planting absurd values.
 */
export const vivaldiCoordinateSchema = z.strictObject({
  vec: z.array(z.number().min(-1e7).max(1e7)).length(DEFAULT_VIVALDI_CONFIG.dimensions),
  height: z.number().min(0).max(1e7),
  error: z.number().min(0).max(DEFAULT_VIVALDI_CONFIG.maxError),
});
