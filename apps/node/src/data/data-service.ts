/**
 * The node's data role (open market, issue 12): one ContentStore under `<data-dir>/content/` (Helia on disk,
 * offline) that datasets, models and replicas share; publishing a dataset dir from this machine (encrypt with a
 * fresh key, store the sealed chunks and the manifest, mint the Dataset NFT, book it with the key wrapped to the
 * node's own key); serving chunks, content and key release (the rule read on chain, release-rule.ts); the holdings
 * book and its announcements; and the JobAssetPort the job roles use.
 */
import { join } from 'node:path';
import { AicError } from '@aic/core';
import { DEFAULT_PRESET } from '@aic/core/params';
import {
  type ContentStore,
  createShardCache,
  type DatasetManifest,
  type HeldChunkIndex,
  heldChunkIndex,
  openContentStore,
  parseDatasetManifest,
  publishDatasetDir,
  type ReleasableDataset,
  serveContent,
  serveDataset,
  serveDatasetKeys,
} from '@aic/data-vessel';
import { AssetKind, connectLedger, type LedgerClient } from '@aic/ledger';
import type { AicNetwork } from '@aic/network';
import type { Logger } from 'pino';
import { type HoldingsAnnouncer, HoldingsBook, startHoldingsAnnouncer } from '../holdings/index.ts';
import type { NodeMetrics } from '../metrics.ts';
import { type DatasetBook, type DatasetEntry, loadDatasetBook } from './dataset-book.ts';
import { createJobAssetPort, type NodeAssetPort } from './job-asset-port.ts';
import { DATASET_LICENSES, type DatasetLicense, datasetReleaseRule } from './release-rule.ts';

export interface DataServiceInit {
  dataDir: string;
  privateKey: Uint8Array;
  /** The chain; without it the node neither publishes nor releases keys (it still stores and serves content). */
  rpcUrl?: string | undefined;
  deploymentFile?: string | undefined;
  holdingsIntervalMs?: number;
  holdingsTtlSeconds?: number;
}

export interface PublishDatasetInput {
  /** A dataset dir made by `aic data import`, on this node's machine. */
  dir: string;
  pricePerUseWei: bigint;
  license: DatasetLicense;
}

export interface PublishedDataset {
  datasetId: string;
  manifestCid: string;
  datasetRoot: string;
  bytes: number;
  chunks: number;
}

export interface DataService {
  /** The node's one ContentStore (models and Storage Vessel replicas live here too). */
  readonly store: ContentStore;
  readonly holdings: HoldingsBook;
  /**
   * The sealed chunks this node serves on `/aic/data-chunk` (its own datasets; a Storage Vessel adds its replicas
   * here instead of serving the protocol a second time).
   */
  readonly chunks: HeldChunkIndex;
  /** Datasets and models by NFT id for the job roles; absent without a chain or a real network. */
  readonly assets: NodeAssetPort | undefined;
  publishDataset(input: PublishDatasetInput): Promise<PublishedDataset>;
  datasets(): DatasetEntry[];
  /** The key of a dataset this node booked (the Storage Vessel wraps it to the storage nodes it places replicas on). */
  datasetKey(datasetId: string): ReleasableDataset | undefined;
  /**
   * Keys a Storage Vessel replica was handed by its owner, joining the one `/aic/dataset-key` handler (same on-chain
   * rule as the node's own datasets); a booked dataset's own key is never replaced or removed by them.
   */
  readonly replicaKeys: { add(datasetId: string, released: ReleasableDataset): void; remove(datasetId: string): void };
  stop(): Promise<void>;
}

function chainRequired(): never {
  throw new AicError('LEDGER_UNAVAILABLE', 'no chain configured: start the node with --rpc-url and --deployment');
}

/**
 * Opens the store and the book and, on a real network, starts serving every booked dataset and announcing holdings.
 * Call before the job roles start (they take `assets`); stop after the network stopped.
 */
export async function startDataService(
  init: DataServiceInit,
  components: { net: AicNetwork | undefined; peerId: string; logger: Logger; metrics: NodeMetrics },
): Promise<DataService> {
  const { net, logger: log } = components;
  const store = await openContentStore(join(init.dataDir, 'content'));
  try {
    const book = await loadDatasetBook(init.dataDir, init.privateKey);
    const holdings = new HoldingsBook({ peerId: components.peerId });
    const chunks = heldChunkIndex(store);
    const keys = new Map<string, ReleasableDataset>();
    const hold = async (entry: DatasetEntry, manifest?: DatasetManifest) => {
      const parsed = manifest ?? (await manifestOf(store, entry));
      if (parsed === undefined) {
        log.warn({ datasetId: entry.datasetId }, 'a booked dataset is missing from the content store; not served');
        return;
      }
      chunks.add({ manifest: parsed, chunkCids: entry.chunkCids });
      keys.set(entry.datasetId, { datasetRoot: entry.datasetRoot as `0x${string}`, key: book.keyOf(entry) });
      holdings.announce({
        kind: 'dataset',
        assetId: entry.datasetId,
        root: entry.datasetRoot as `0x${string}`,
        bytes: entry.bytes,
        role: entry.role,
      });
    };
    for (const entry of book.list()) await hold(entry);

    const ledger: LedgerClient | undefined =
      init.rpcUrl !== undefined && init.deploymentFile !== undefined
        ? await connectLedger({ rpcUrl: init.rpcUrl, deploymentFile: init.deploymentFile, privateKey: init.privateKey })
        : undefined;
    let announcer: HoldingsAnnouncer | undefined;
    let assets: NodeAssetPort | undefined;
    if (net !== undefined) {
      await serveDataset(net, chunks);
      await serveContent(net, { get: (cid) => store.get(cid) });
      await serveDatasetKeys(net, {
        datasets: keys,
        mayRelease: ledger === undefined ? async () => false : datasetReleaseRule(ledger),
      });
      announcer = startHoldingsAnnouncer(
        net,
        holdings,
        {
          intervalMs: init.holdingsIntervalMs ?? DEFAULT_PRESET.node.holdingsIntervalMs,
          ttlSeconds: init.holdingsTtlSeconds ?? DEFAULT_PRESET.node.holdingsTtlSeconds,
        },
        log,
      );
      if (ledger !== undefined) {
        assets = createJobAssetPort({
          net,
          ledger,
          store,
          holdings,
          book,
          cache: await createShardCache({
            dir: join(init.dataDir, 'cache'),
            maxBytes: DEFAULT_PRESET.node.datasetCacheMiB * 1024 * 1024,
          }),
          privateKey: init.privateKey,
          bytesFetched: components.metrics.datasetBytesFetchedTotal,
          bytesByPath: components.metrics.datasetFetchBytesTotal,
          log,
          manifestMaxBytes: DEFAULT_PRESET.node.manifestMaxBytes,
        });
      }
    }

    return {
      store,
      holdings,
      chunks,
      assets,
      datasets: () => book.list(),
      datasetKey: (datasetId) => keys.get(datasetId),
      replicaKeys: {
        add(datasetId, released) {
          if (book.get(datasetId) === undefined) keys.set(datasetId, released);
        },
        remove(datasetId) {
          if (book.get(datasetId) === undefined) keys.delete(datasetId);
        },
      },
      async publishDataset(input) {
        if (ledger === undefined) chainRequired();
        const content = await publishDatasetDir(store, input.dir);
        const licenseId = DATASET_LICENSES[input.license];
        const { tokenId } = await ledger.mintAsset({
          kind: AssetKind.Dataset,
          manifestCid: content.manifestCid,
          contentRoot: content.datasetRoot,
          pricePerUseWei: input.pricePerUseWei,
          licenseId,
        });
        const entry = await book.add(
          {
            datasetId: tokenId.toString(),
            name: content.manifest.name,
            datasetRoot: content.datasetRoot.toLowerCase(),
            manifestCid: content.manifestCid,
            chunkCids: content.chunkCids,
            bytes: content.bytes,
            chunks: content.chunks,
            rows: content.manifest.rows,
            trainRows: content.manifest.split.trainRows,
            licenseId,
            pricePerUseWei: input.pricePerUseWei.toString(),
            role: 'owner',
            publishedAtMs: Date.now(),
          },
          content.key,
        );
        await hold(entry, content.manifest);
        log.info(
          { datasetId: entry.datasetId, manifestCid: entry.manifestCid, bytes: entry.bytes },
          'dataset published',
        );
        return {
          datasetId: entry.datasetId,
          manifestCid: entry.manifestCid,
          datasetRoot: entry.datasetRoot,
          bytes: entry.bytes,
          chunks: entry.chunks,
        };
      },
      async stop() {
        await announcer?.stop();
        await store.stop();
      },
    };
  } catch (error) {
    await store.stop().catch(() => undefined);
    throw error;
  }
}

async function manifestOf(store: ContentStore, entry: DatasetEntry): Promise<DatasetManifest | undefined> {
  const bytes = await store.get(entry.manifestCid);
  return bytes === undefined ? undefined : parseDatasetManifest(new TextDecoder().decode(bytes));
}

export type { DatasetBook };
