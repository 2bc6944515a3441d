import { AicError } from '@aic/core';
import { chunkCount, type Hex, verifyChunk } from '../commitments/index.ts';
import type { ShardCache } from './shard-cache.ts';

/** One holder of a shard: answers a chunk index with the plaintext chunk and its proof to the shard root. */
export type ChunkSource = (root: Hex, chunkIndex: number) => Promise<{ bytes: Uint8Array; proof: readonly Hex[] }>;

/** How a shard was obtained. */
export interface LoadedShard {
  readonly bytes: Uint8Array;
  readonly fromCache: boolean;
  /** Chunk bytes received from sources (0 on a cache hit), rejected chunks included. */
  readonly bytesFetched: number;
  /** Chunks that failed verification and were fetched again from the next holder. */
  readonly rejectedChunks: number;
}

async function fetchVerifiedChunk(
  root: Hex,
  index: number,
  sources: readonly ChunkSource[],
  tally: { bytes: number; rejected: number },
) {
  for (const source of sources) {
    const answer = await source(root, index).catch(() => undefined);
    if (!answer) continue;
    tally.bytes += answer.bytes.length;
    if (verifyChunk(answer.bytes, index, answer.proof, root)) return answer.bytes;
    tally.rejected++;
  }
  throw new AicError('DATA_CHUNK_UNAVAILABLE', `no holder returned a valid chunk ${index}`, {
    details: { root, index },
  });
}

/**
 * A shard by root: from the cache when present (nothing moves), else chunk by chunk from the holders in order, each
 * chunk checked against the root; a bad or missing chunk is fetched again from the next holder. The verified shard
 * is then cached. Throws DATA_CHUNK_UNAVAILABLE when no holder has a valid chunk.
 *
 * @example
 * const { bytes } = await loadShard({ root: entry.root, byteLength: entry.byteLength }, cache, holders);
 */
export async function loadShard(
  shard: { readonly root: Hex; readonly byteLength: number },
  cache: ShardCache,
  sources: readonly ChunkSource[],
): Promise<LoadedShard> {
  const cached = await cache.get(shard.root);
  if (cached) return { bytes: cached, fromCache: true, bytesFetched: 0, rejectedChunks: 0 };
  const tally = { bytes: 0, rejected: 0 };
  const bytes = new Uint8Array(shard.byteLength);
  let offset = 0;
  for (let index = 0; index < chunkCount(shard.byteLength); index++) {
    const chunk = await fetchVerifiedChunk(shard.root, index, sources, tally);
    if (offset + chunk.length > bytes.length) {
      throw new AicError('DATA_CHUNK_UNAVAILABLE', 'chunks run past the committed shard length', {
        details: { index },
      });
    }
    bytes.set(chunk, offset);
    offset += chunk.length;
  }
  await cache.put(shard.root, bytes);
  return { bytes, fromCache: false, bytesFetched: tally.bytes, rejectedChunks: tally.rejected };
}
