import { z } from 'zod';
import { DEFAULT_VIVALDI_CONFIG } from '../../coordinates/vivaldi.ts';
import { defineProtocol } from '../protocol.ts';

// zod 4 numbers exclude NaN and ±Infinity.
const finite = z.number();

/** Vivaldi coordinate exchange: ask a peer for its current coordinate (the RTT comes from libp2p ping). */
export const coordinatesProtocol = defineProtocol({
  id: '/aic/coordinates/1.0.0',
  request: z.strictObject({}),
  response: z.strictObject({
    vec: z.array(finite.min(-1e7).max(1e7)).length(DEFAULT_VIVALDI_CONFIG.dimensions),
    height: finite.min(0).max(1e7),
    error: finite.min(0).max(DEFAULT_VIVALDI_CONFIG.maxError),
  }),
  maxRequestBytes: 512,
  maxResponseBytes: 1024,
  timeoutMs: 5_000,
});
