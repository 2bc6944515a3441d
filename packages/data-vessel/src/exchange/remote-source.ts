import { isAicError } from '@aic/core';
import type { AicNetwork } from '@aic/network';
import type { Hex } from '../commitments/index.ts';
import { type ChunkSource, type SealedChunkSource, sealedChunkSource } from '../worker-cache/index.ts';
import { fetchSealedChunk } from './chunk-client.ts';
import type { ChunkHolder } from './chunk-session.ts';

/** Counts what crosses the network, so a caller can assert that a cached fetch moved nothing. */
export interface TransferMeter {
  /** Sealed chunk bytes received. */
  bytes: number;
  /** Chunk answers received. */
  chunks: number;
  /** Chunks received that failed authentication (tampered or misplaced) and were asked of the next holder. */
  rejected: number;
  /** Sealed bytes received per holder (PeerId string), rejected chunks included: "from whom". */
  readonly byHolder: Map<string, number>;
  /** Sealed bytes received per path (`fetchDataset`: 'bulk' TCP path or libp2p 'stream'): which path served. */
  readonly byPath: Map<string, number>;
}

/** A fresh meter at zero. */
export function createTransferMeter(): TransferMeter {
  return { bytes: 0, chunks: 0, rejected: 0, byHolder: new Map(), byPath: new Map() };
}

/** Counts one received chunk of `holder` (a PeerId string) into `meter`, and under its path when known. */
export function meterChunk(meter: TransferMeter | undefined, holder: string, bytes: number, path?: string): void {
  if (!meter) return;
  meter.bytes += bytes;
  meter.chunks++;
  meter.byHolder.set(holder, (meter.byHolder.get(holder) ?? 0) + bytes);
  if (path !== undefined) meter.byPath.set(path, (meter.byPath.get(path) ?? 0) + bytes);
}

/** A readable key for a holder: its PeerId when the address names one, else the address itself. */
export function holderKey(holder: ChunkHolder): string {
  const first = Array.isArray(holder) ? holder[0] : holder;
  if (first === undefined) return 'unknown';
  if ('getPeerId' in first && typeof first.getPeerId === 'function') return first.getPeerId() ?? first.toString();
  return first.toString();
}

/** One holder's sealed chunks over the network, counted into `meter` when given. */
export function remoteSealedSource(net: AicNetwork, holder: ChunkHolder, meter?: TransferMeter): SealedChunkSource {
  return async (root: Hex, chunkIndex: number) => {
    const sealed = await fetchSealedChunk(net, holder, root, chunkIndex);
    meterChunk(meter, holderKey(holder), sealed.length);
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
 * on a stream of its own and opens it with the dataset key. A chunk that fails AES-GCM authentication or
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
