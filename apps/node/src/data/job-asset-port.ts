/**
 * The node's JobAssetPort (open market interface 5; the shape is @aic/gpu-vessel's): datasets and models named by
 * NFT id, resolved on chain (AssetRegistry.assetOf → manifestCid, contentRoot), their content found through the
 * holdings book and moved with the Data Vessel's protocols, every byte checked against the chain.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { AicError } from '@aic/core';
import {
  type ContentStore,
  createTransferMeter,
  type DatasetManifest,
  decryptShard,
  fetchContent,
  fetchDataset,
  parseDatasetManifest,
  requestDatasetKey,
  type ShardCache,
} from '@aic/data-vessel';
import type { JobAssetPort, MaterializeDatasetRequest, MaterializedDataset } from '@aic/gpu-vessel';
import { AssetKind, type LedgerClient } from '@aic/ledger';
import type { AicNetwork } from '@aic/network';
import type { Logger } from 'pino';
import type { Counter } from 'prom-client';
import { type Hex, toHex } from 'viem';
import type { Holder, HoldingKind, HoldingsBook } from '../holdings/index.ts';
import type { DatasetBook } from './dataset-book.ts';

export interface JobAssetPortComponents {
  net: AicNetwork;
  ledger: Pick<LedgerClient, 'registry'>;
  store: ContentStore;
  holdings: HoldingsBook;
  book: DatasetBook;
  cache: ShardCache;
  /** This node's key: it unwraps the dataset keys released to it (never sent). */
  privateKey: Uint8Array;
  /** `aic_dataset_bytes_fetched_total`. */
  bytesFetched: Pick<Counter, 'inc'>;
  /** `aic_dataset_fetch_bytes_total{path}`: which path (holders' bulk TCP path or the libp2p stream) served. */
  bytesByPath?: Pick<Counter<'path'>, 'inc'>;
  /** Told which path serves each holder, and why a bulk path was not used. */
  log?: Pick<Logger, 'info' | 'warn'>;
  manifestMaxBytes: number;
}

const shardFile = (i: number) => `shard-${String(i).padStart(5, '0')}.safetensors`;

function tokenIdOf(id: string, what: string): bigint {
  if (!/^[1-9][0-9]{0,9}$/.test(id))
    throw new AicError('DATASET_ASSET_INVALID', `not a ${what} NFT id: ${id.slice(0, 32)}`);
  return BigInt(id);
}

type PeerId = ReturnType<AicNetwork['libp2p']['getPeers']>[number];

/**
 * The holders' PeerIds, in the book's order, after dialling those not connected through their announced addresses
 * (best effort): a holder that cannot be reached is left out.
 */
async function reachable(net: AicNetwork, holders: readonly Holder[]): Promise<PeerId[]> {
  const connectedNow = () => new Map(net.libp2p.getPeers().map((p) => [p.toString(), p]));
  let connected = connectedNow();
  for (const holder of holders) {
    if (connected.has(holder.peerId)) continue;
    for (const addr of holder.multiaddrs) {
      const target = addr.includes('/p2p/') ? addr : `${addr}/p2p/${holder.peerId}`;
      if (
        await net.connect(target).then(
          () => true,
          () => false,
        )
      )
        break;
    }
    connected = connectedNow();
  }
  return holders.flatMap((h) => connected.get(h.peerId) ?? []);
}

/** The port plus what the node's own API reads: the dataset's manifest with the CID the NFT names. */
export interface NodeAssetPort extends JobAssetPort {
  resolveDataset(datasetId: string, signal?: AbortSignal): Promise<{ manifest: DatasetManifest; manifestCid: string }>;
}

export function createJobAssetPort(c: JobAssetPortComponents): NodeAssetPort {
  const assetOf = async (tokenId: bigint, kinds: readonly number[], what: string) => {
    const asset = await c.ledger.registry.read.assetOf([tokenId]);
    if (!kinds.includes(asset.kind)) {
      throw new AicError('DATASET_ASSET_INVALID', `asset #${tokenId} is not a ${what}`, {
        details: { assetId: String(tokenId), kind: asset.kind },
      });
    }
    return asset;
  };

  /** The exact bytes of `cid`: from this node's store, else from the asset's holders (re-hashed by fetchContent). */
  const content = async (kind: HoldingKind, assetId: string, cid: string, signal?: AbortSignal) => {
    const local = await c.store.get(cid);
    if (local !== undefined) return local;
    const holders = c.holdings.holdersOf(kind, assetId);
    if (holders.length === 0) {
      throw new AicError('DATASET_NO_HOLDERS', `no node announces ${kind} #${assetId}`, { details: { kind, assetId } });
    }
    const peers = await reachable(c.net, holders);
    return await fetchContent(c.net, peers, cid, { maxBytes: c.manifestMaxBytes, ...(signal ? { signal } : {}) });
  };

  const resolveDataset = async (datasetId: string, signal?: AbortSignal) => {
    const asset = await assetOf(tokenIdOf(datasetId, 'Dataset'), [AssetKind.Dataset], 'Dataset');
    const bytes = await content('dataset', datasetId, asset.manifestCid, signal);
    const manifest = parseDatasetManifest(new TextDecoder().decode(bytes));
    if (manifest.datasetRoot.toLowerCase() !== asset.contentRoot.toLowerCase()) {
      throw new AicError(
        'DATASET_ROOT_MISMATCH',
        'the manifest does not commit to the dataset root recorded on chain',
        {
          details: { manifestRoot: manifest.datasetRoot, committedRoot: asset.contentRoot },
        },
      );
    }
    return { manifest, manifestCid: asset.manifestCid };
  };
  const datasetManifest = async (datasetId: string, signal?: AbortSignal): Promise<DatasetManifest> =>
    (await resolveDataset(datasetId, signal)).manifest;

  /** A dataset this node holds itself: its sealed chunks from the store, opened with its own key. */
  const ownShards = async (manifest: DatasetManifest, datasetId: string): Promise<Uint8Array[] | undefined> => {
    const entry = c.book.get(datasetId);
    if (entry === undefined || entry.datasetRoot !== manifest.datasetRoot.toLowerCase()) return undefined;
    const key = c.book.keyOf(entry);
    const shards: Uint8Array[] = [];
    for (const [index, cids] of entry.chunkCids.entries()) {
      const sealed: Uint8Array[] = [];
      for (const cid of cids) {
        const chunk = await c.store.get(cid);
        if (chunk === undefined) return undefined; // a block lost on disk: fetch from the network like anyone
        sealed.push(chunk);
      }
      shards.push(decryptShard(key, manifest.datasetRoot as Hex, index, sealed));
    }
    return shards;
  };

  const fetchShards = async (manifest: DatasetManifest, request: MaterializeDatasetRequest) => {
    const allCached = manifest.shards.every((s) => c.cache.has(s.root as Hex));
    const holders = allCached ? [] : c.holdings.holdersOf('dataset', request.datasetId);
    if (!allCached && holders.length === 0) {
      throw new AicError('DATASET_NO_HOLDERS', `no node announces dataset #${request.datasetId}`, {
        details: { kind: 'dataset', assetId: request.datasetId },
      });
    }
    const peers = await reachable(c.net, holders);
    // A repeated job finds every shard in the verified cache: no key and no byte is asked of anyone.
    const key = allCached ? new Uint8Array(32) : await releasedKey(manifest, request, peers);
    const meter = createTransferMeter();
    const fetched = await fetchDataset(c.net, {
      manifest,
      committedRoot: manifest.datasetRoot as Hex,
      key,
      holders: peers,
      cache: c.cache,
      meter,
      onPath: (holder, path, reason) => {
        if (reason === undefined) c.log?.info({ datasetId: request.datasetId, holder, path }, 'dataset fetch path');
        else c.log?.warn({ datasetId: request.datasetId, holder, path, reason }, 'dataset fetch without bulk path');
      },
      ...(request.signal ? { signal: request.signal } : {}),
    });
    for (const [path, bytes] of meter.byPath) c.bytesByPath?.inc({ path }, bytes);
    return fetched;
  };

  /** Asks the holders in turn for the key of this job's dataset; the last refusal is what the caller sees. */
  const releasedKey = async (
    manifest: DatasetManifest,
    request: MaterializeDatasetRequest,
    peers: readonly PeerId[],
  ) => {
    let refusal: unknown;
    for (const peer of peers) {
      try {
        return await requestDatasetKey(c.net, peer, {
          datasetId: request.datasetId,
          datasetRoot: manifest.datasetRoot as Hex,
          privateKey: c.privateKey,
          jobId: toHex(request.jobId, { size: 32 }),
        });
      } catch (error) {
        refusal = error;
      }
    }
    throw (
      refusal ??
      new AicError('DATASET_NO_HOLDERS', `no holder of dataset #${request.datasetId} could be reached`, {
        details: { kind: 'dataset', assetId: request.datasetId },
      })
    );
  };

  return {
    resolveDataset,
    datasetManifest,
    async materializeDataset(request): Promise<MaterializedDataset> {
      const manifest = await datasetManifest(request.datasetId, request.signal);
      const own = await ownShards(manifest, request.datasetId);
      const fetched = own
        ? { shards: own, bytesFetched: 0, fromCache: true, holders: [] as string[] }
        : await fetchShards(manifest, request);
      await mkdir(request.dir, { recursive: true, mode: 0o700 });
      const files: string[] = [];
      for (const [i, shard] of fetched.shards.entries()) {
        const file = join(request.dir, shardFile(i));
        await writeFile(file, shard, { mode: 0o600 });
        files.push(file);
      }
      c.bytesFetched.inc(fetched.bytesFetched);
      return {
        files,
        trainRows: manifest.split.trainRows,
        bytesFetched: fetched.bytesFetched,
        fromCache: fetched.fromCache,
        holders: fetched.holders,
      };
    },
    async modelManifest(modelId, signal) {
      const asset = await assetOf(tokenIdOf(modelId, 'Model'), [AssetKind.Model, AssetKind.TrainedAI], 'Model');
      return await content('model', modelId, asset.manifestCid, signal);
    },
  };
}
