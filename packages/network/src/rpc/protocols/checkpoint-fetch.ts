import { z } from 'zod';
import { bytes32Hex, safeUint } from '../../wire/messages/fields.ts';
import { defineProtocol } from '../protocol.ts';

/**
 * Checkpoint fetch: a verifier asks the provider for checkpoint `index` of a job (DESIGN.md §7), one chunk at a
 * time. Handler: the GPU Vessel (a later issue).
 */
export const CHECKPOINT_CHUNK_BYTES = 4 * 1024 * 1024;

export const checkpointFetchProtocol = defineProtocol({
  id: '/aic/checkpoint-fetch/1.0.0',
  request: z.strictObject({ jobId: bytes32Hex, index: safeUint, chunk: safeUint }),
  response: z.strictObject({
    chunk: z.instanceof(Uint8Array),
    totalChunks: safeUint,
    /** c_i of this checkpoint, to compare with the on-chain Merkle root. */
    commitment: bytes32Hex,
  }),
  maxRequestBytes: 1024,
  maxResponseBytes: CHECKPOINT_CHUNK_BYTES + 4 * 1024,
  timeoutMs: 30_000,
});
