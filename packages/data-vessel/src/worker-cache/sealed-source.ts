import type { Hex } from '../commitments/index.ts';
import { decryptChunk } from '../crypto/index.ts';
import type { ChunkSource } from './load-shard.ts';

/** A holder of encrypted chunks (a Storage Vessel or the publisher): sealed bytes, and a proof where it has one. */
export type SealedChunkSource = (
  root: Hex,
  chunkIndex: number,
) => Promise<{ sealed: Uint8Array; proof?: readonly Hex[] }>;

/**
 * Opens a holder's sealed chunks with the dataset key on the worker: a chunk that fails AES-GCM authentication
 * (tampered, misplaced, wrong dataset) makes this holder a miss, so `loadShard` asks the next one.
 */
export function sealedChunkSource(
  source: SealedChunkSource,
  key: Uint8Array,
  datasetRoot: Hex,
  shardIndex: number,
): ChunkSource {
  return async (root, chunkIndex) => {
    const { sealed, proof } = await source(root, chunkIndex);
    const bytes = decryptChunk(key, { datasetRoot, shardIndex, chunkIndex }, sealed);
    return proof === undefined ? { bytes } : { bytes, proof };
  };
}
