import { AicError } from '@aic/core';
import type { AicNetwork } from '@aic/network';
import type { Hex } from '../commitments/index.ts';
import { parseDatasetManifest } from '../manifest/index.ts';
import { loadShard, type ShardCache } from '../worker-cache/index.ts';
import type { ChunkHolder } from './chunk-client.ts';
import { remoteChunkSources, type TransferMeter } from './remote-source.ts';

/** What a worker needs to fetch a whole dataset. */
export interface FetchDatasetInit {
  /** The manifest (public; its CID is on chain), as text or value: parsed and its dataset root recomputed here. */
  readonly manifest: unknown;
  /** The content root recorded in the Dataset NFT: the manifest must commit to exactly this root. */
  readonly committedRoot: Hex;
  /** The dataset key, released by `requestDatasetKey`. */
  readonly key: Uint8Array;
  /** Holders in the order to ask them (e.g. the nearest first). */
  readonly holders: readonly ChunkHolder[];
  readonly cache: ShardCache;
  readonly meter?: TransferMeter;
}

/** A fetched dataset: the verified plaintext shards in manifest order and what moved. */
export interface FetchedDataset {
  readonly shards: Uint8Array[];
  /** Plaintext bytes received (0 when every shard came from the cache). */
  readonly bytesFetched: number;
  /** Whether every shard came from the worker's cache. */
  readonly fromCache: boolean;
}

/**
 * Fetches every shard of a dataset from its holders, verified end to end: the manifest's recomputed dataset root
 * must equal the root committed on chain (else DATA_ROOT_MISMATCH), each chunk passes GCM under the dataset key
 * and each shard its Merkle root from that manifest. Shards already in the worker's cache move no bytes. Shards
 * are loaded one after another, each with `loadShard`'s parallel chunks, so a large dataset does not open
 * hundreds of streams at once.
 *
 * @example
 * const { shards } = await fetchDataset(worker, { manifest, committedRoot: asset.contentRoot, key, holders, cache });
 */
export async function fetchDataset(net: AicNetwork, init: FetchDatasetInit): Promise<FetchedDataset> {
  const manifest = parseDatasetManifest(init.manifest);
  const datasetRoot = manifest.datasetRoot as Hex;
  if (datasetRoot.toLowerCase() !== init.committedRoot.toLowerCase()) {
    throw new AicError('DATA_ROOT_MISMATCH', 'the manifest does not commit to the dataset root recorded on chain', {
      details: { manifestRoot: datasetRoot, committedRoot: init.committedRoot },
    });
  }
  const shards: Uint8Array[] = [];
  let bytesFetched = 0;
  let fromCache = true;
  for (const [shardIndex, entry] of manifest.shards.entries()) {
    const sources = remoteChunkSources(net, init.holders, {
      key: init.key,
      datasetRoot,
      shardIndex,
      ...(init.meter ? { meter: init.meter } : {}),
    });
    const loaded = await loadShard({ root: entry.root as Hex, byteLength: entry.byteLength }, init.cache, sources);
    shards.push(loaded.bytes);
    bytesFetched += loaded.bytesFetched;
    fromCache &&= loaded.fromCache;
  }
  return { shards, bytesFetched, fromCache };
}
