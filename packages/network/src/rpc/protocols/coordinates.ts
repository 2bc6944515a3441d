import { z } from 'zod';
import { vivaldiCoordinateSchema } from '../../coordinates/coordinate-schema.ts';
import { defineProtocol } from '../protocol.ts';

/** Vivaldi coordinate exchange: ask a peer for its current coordinate (the RTT comes from libp2p ping). */
export const coordinatesProtocol = defineProtocol({
  id: '/aic/coordinates/1.0.0',
  request: z.strictObject({}),
  response: vivaldiCoordinateSchema,
  maxRequestBytes: 512,
  maxResponseBytes: 1024,
  timeoutMs: 5_000,
});
