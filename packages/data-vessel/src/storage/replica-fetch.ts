/**
 * A storage provider fetching the sealed chunks of a dataset from its holders (the owner, other replicas) over the
 * chunk protocol. It cannot open them (no key): each chunk is only checked for the length its manifest implies; the
 * whole replica is then checked against the deal's segment root before any collateral is posted.
 */
import { AicError } from '@aic/core';
import type { AicNetwork } from '@aic/network';
import { chunkCount, type Hex } from '../commitments/index.ts';
import { type ChunkHolder, fetchSealedChunk } from '../exchange/index.ts';
import type { DatasetManifest } from '../manifest/index.ts';
import { sealedChunkLength } from './replica-layout.ts';

/** Chunk requests in flight at once (below the chunk server's 32 inbound streams per connection). */
const PARALLEL_CHUNKS = 8;

async function fetchOne(
  net: AicNetwork,
  holders: readonly ChunkHolder[],
  root: Hex,
  chunkIndex: number,
  length: number,
): Promise<Uint8Array> {
  let lastError: unknown;
  for (const holder of holders) {
    try {
      const sealed = await fetchSealedChunk(net, holder, root, chunkIndex);
      if (sealed.length === length) return sealed;
      lastError = new AicError('STORAGE_REPLICA_CORRUPT', 'a holder served a chunk of the wrong length');
    } catch (error) {
      lastError = error; // try the next holder
    }
  }
  throw new AicError('STORAGE_REPLICA_UNAVAILABLE', `no holder served chunk ${chunkIndex} of shard ${root}`, {
    cause: lastError,
    details: { root, chunkIndex, holders: holders.length },
  });
}

/** Every sealed chunk of `manifest`'s dataset, per shard, from the first holder that has each. */
export async function fetchReplicaChunks(
  net: AicNetwork,
  manifest: Pick<DatasetManifest, 'shards'>,
  holders: readonly ChunkHolder[],
): Promise<Uint8Array[][]> {
  const sealed: Uint8Array[][] = [];
  for (const shard of manifest.shards) {
    const count = chunkCount(shard.byteLength);
    const chunks: Uint8Array[] = [];
    for (let start = 0; start < count; start += PARALLEL_CHUNKS) {
      const batch = Array.from({ length: Math.min(PARALLEL_CHUNKS, count - start) }, (_, i) =>
        fetchOne(net, holders, shard.root as Hex, start + i, sealedChunkLength(shard.byteLength, start + i)),
      );
      chunks.push(...(await Promise.all(batch)));
    }
    sealed.push(chunks);
  }
  return sealed;
}
