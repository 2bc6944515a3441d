import { z } from 'zod';
import { bytes32Hex, safeUint } from '../../wire/messages/fields.ts';
import { defineProtocol } from '../protocol.ts';

/**
 * Storage proof challenge: the challenger names a chunk (index from a block hash), the Storage Vessel answers with
 * the chunk and its Merkle proof (DESIGN.md §4). Handler: the Storage Vessel (a later issue).
 */
export const storageChallengeProtocol = defineProtocol({
  id: '/aic/storage-challenge/1.0.0',
  request: z.strictObject({ dealId: bytes32Hex, chunkIndex: safeUint, seed: bytes32Hex }),
  response: z.strictObject({ chunk: z.instanceof(Uint8Array), proof: z.array(bytes32Hex).max(64) }),
  maxRequestBytes: 1024,
  maxResponseBytes: 2 * 1024 * 1024,
});
