import { isAicError } from '@aic/core';
import type { AicNetwork } from '@aic/network';
import type { Hex } from '../commitments/index.ts';
import { type ChunkSource, type SealedChunkSource, sealedChunkSource } from '../worker-cache/index.ts';
import { type ChunkHolder, fetchSealedChunk } from './chunk-client.ts';

/** Counts what crosses the network, so a caller can assert that a cached fetch moved nothing. */
export interface TransferMeter {
  /** Sealed chunk bytes received. */
  bytes: number;
  /** Chunk answers received. */
  chunks: number;
  /** Chunks received that failed authentication (tampered or misplaced) and were asked of the next holder. */
  rejected: number;
}

/** A fresh meter at zero. */
export function createTransferMeter(): TransferMeter {
  return { bytes: 0, chunks: 0, rejected: 0 };
}

/** One holder's sealed chunks over the network, counted into `meter` when given. */
export function remoteSealedSource(net: AicNetwork, holder: ChunkHolder, meter?: TransferMeter): SealedChunkSource {
  return async (root: Hex, chunkIndex: number) => {
    const sealed = await fetchSealedChunk(net, holder, root, chunkIndex);
    if (meter) {
      meter.bytes += sealed.length;
      meter.chunks++;
    }
    return { sealed };
  };
}

/** What a worker needs to open the chunks of one shard. */
export interface RemoteShardInit {
  readonly key: Uint8Array;
  readonly datasetRoot: Hex;
  readonly shardIndex: number;
  readonly meter?: TransferMeter;
}

/**
 * The `ChunkSource`s of one shard for `loadShard`, one per holder in the order given: each fetches the sealed chunk
 * over `/aic/data-chunk/1.0.0` and opens it with the dataset key. A chunk that fails AES-GCM authentication or
 * does not arrive makes that holder a miss, so `loadShard` asks the next holder; the assembled shard is then checked
 * against its Merkle root before it is cached.
 *
 * @example
 * const sources = remoteChunkSources(worker, [mirrorAddr, ownerAddr], { key, datasetRoot, shardIndex: i });
 * const { bytes } = await loadShard(manifest.shards[i], cache, sources);
 */
export function remoteChunkSources(
  net: AicNetwork,
  holders: readonly ChunkHolder[],
  init: RemoteShardInit,
): ChunkSource[] {
  return holders.map((holder) => {
    const open = sealedChunkSource(
      remoteSealedSource(net, holder, init.meter),
      init.key,
      init.datasetRoot,
      init.shardIndex,
    );
    return async (root, chunkIndex) => {
      try {
        return await open(root, chunkIndex);
      } catch (error) {
        if (init.meter && isAicError(error) && error.code === 'DATA_DECRYPT_FAILED') init.meter.rejected++;
        throw error;
      }
    };
  });
}
