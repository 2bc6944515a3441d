import { AicError } from '@aic/core';
import { chunkCount, type Hex, verifyChunk } from '../commitments/index.ts';
import { CHUNK_SIZE_BYTES } from '../limits.ts';
import type { ShardCache } from './shard-cache.ts';

/**
 * One holder of a shard: answers a chunk index with the plaintext chunk and, where it has one, its proof to the
 * shard root. Without a proof the chunk is checked with the whole shard's root once all chunks are in (a sealed
 * chunk was already authenticated by AES-GCM when `sealedChunkSource` opened it).
 */
export type ChunkSource = (root: Hex, chunkIndex: number) => Promise<{ bytes: Uint8Array; proof?: readonly Hex[] }>;

/** How a shard was obtained. */
export interface LoadedShard {
  readonly bytes: Uint8Array;
  readonly fromCache: boolean;
  /** Chunk bytes received from sources (0 on a cache hit), rejected chunks included. */
  readonly bytesFetched: number;
  /** Chunks that failed verification and were fetched again from the next holder. */
  readonly rejectedChunks: number;
}

interface ShardRef {
  readonly root: Hex;
  readonly byteLength: number;
}

async function fetchVerifiedChunk(
  shard: ShardRef,
  index: number,
  sources: readonly ChunkSource[],
  tally: { bytes: number; rejected: number },
): Promise<Uint8Array> {
  const expectedLength = Math.min(CHUNK_SIZE_BYTES, shard.byteLength - index * CHUNK_SIZE_BYTES);
  for (const source of sources) {
    // A holder that fails (network error, failed GCM authentication) is a miss: ask the next one.
    const answer = await source(shard.root, index).catch(() => undefined);
    if (!answer) continue;
    tally.bytes += answer.bytes.length;
    const proofOk = answer.proof === undefined || verifyChunk(answer.bytes, index, answer.proof, shard.root);
    if (proofOk && answer.bytes.length === expectedLength) return answer.bytes;
    tally.rejected++;
  }
  throw new AicError('DATA_CHUNK_UNAVAILABLE', `no holder returned a valid chunk ${index}`, {
    details: { root: shard.root, index },
  });
}

/** Chunks requested at once per shard unless told otherwise (holders answer in parallel; order does not matter). */
export const DEFAULT_FETCH_CONCURRENCY = 4;

/**
 * A shard by root: from the cache when present (nothing moves), else chunk by chunk from the holders in order, each
 * chunk checked against the root; a bad or missing chunk is fetched again from the next holder. Up to
 * `concurrency` chunks are in flight at once. The verified shard is then cached. Throws DATA_CHUNK_UNAVAILABLE when
 * no holder has a valid chunk, DATA_SHARD_ROOT_MISMATCH when the assembled shard does not match its root.
 *
 * @example
 * const { bytes } = await loadShard({ root: entry.root, byteLength: entry.byteLength }, cache, holders);
 */
export async function loadShard(
  shard: ShardRef,
  cache: ShardCache,
  sources: readonly ChunkSource[],
  concurrency = DEFAULT_FETCH_CONCURRENCY,
): Promise<LoadedShard> {
  const cached = await cache.get(shard.root);
  if (cached) return { bytes: cached, fromCache: true, bytesFetched: 0, rejectedChunks: 0 };
  const tally = { bytes: 0, rejected: 0 };
  const bytes = new Uint8Array(shard.byteLength);
  const total = chunkCount(shard.byteLength);
  let next = 0;
  let failed = false; // once one chunk is unavailable the others stop asking: the shard cannot complete
  const worker = async () => {
    for (let index = next++; index < total && !failed; index = next++) {
      try {
        bytes.set(await fetchVerifiedChunk(shard, index, sources, tally), index * CHUNK_SIZE_BYTES);
      } catch (error) {
        failed = true;
        throw error;
      }
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(concurrency, total)) }, worker));
  await cache.put(shard.root, bytes); // checks the whole shard against its root (DATA_SHARD_ROOT_MISMATCH)
  return { bytes, fromCache: false, bytesFetched: tally.bytes, rejectedChunks: tally.rejected };
}
