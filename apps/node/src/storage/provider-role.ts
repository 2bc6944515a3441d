/**
 * The Storage Vessel role of a node (`--storage`): quotes and accepts StorageMarket deals for dataset replicas,
 * fetches the sealed chunks from their holders, keeps them in the node's content store, answers challenges on time,
 * collects its pay per epoch, and serves the replicas' chunks like an owner. The dataset key comes only from the
 * owner, wrapped to this node with the deal (kept wrapped, released under the owner's on-chain rule).
 */
import { join } from 'node:path';
import { AicError, aicToWei, isAicError } from '@aic/core';
import {
  type ContentBlocks,
  createStorageProvider,
  type DatasetReplicaStore,
  DealState,
  fetchReplicaChunks,
  type HeldChunkIndex,
  type HeldChunks,
  openDatasetReplicaStore,
  type ReplicaSummary,
  readDeal,
  replicaLayout,
  type StorageProvider,
  serveDataset,
  stopServingDataset,
  storageDealProtocol,
  storageQuoteProtocol,
} from '@aic/data-vessel';
import type { LedgerClient } from '@aic/ledger';
import type { AicNetwork } from '@aic/network';
import type { Logger } from 'pino';
import { checkedManifest } from './dataset-check.ts';
import { resolveHolders } from './holders.ts';
import { type Loop, startLoop } from './loop.ts';

export interface StorageRoleOptions {
  capacityMiB: number;
  priceAicPerMiBEpoch: string;
  maxCollateralAic: string;
  answerIntervalMs: number;
  collectIntervalMs: number;
}

export interface StorageRoleComponents {
  net: AicNetwork;
  ledger: LedgerClient;
  /** The node's content store (sealed chunks and manifests are blocks in it). */
  content: ContentBlocks;
  /** The blocks of the node's own datasets in the same content store (kept when a replica of one goes). */
  heldElsewhere?: (() => Iterable<string>) | undefined;
  /** The chunk index the node's chunk server answers from; absent = this role serves its replicas itself. */
  held?: HeldChunkIndex | undefined;
  /** Runs this account's transactions one at a time (one nonce sequence). */
  send: <T>(task: () => Promise<T>) => Promise<T>;
  log: Logger;
  /** Tells the network a replica is held here (holdings gossip, role 'replica'). */
  announce?: ((replica: ReplicaSummary) => void) | undefined;
  /** Tells the network a replica is gone (its deal completed or failed). */
  withdraw?: ((replica: ReplicaSummary) => void) | undefined;
  /** Keeps (and serves for release) the dataset key an owner wrapped to this node with a deal; drops it with it. */
  replicaKeys?: ReplicaKeyKeeper | undefined;
}

export interface ReplicaKeyKeeper {
  keep(datasetId: bigint, datasetRoot: `0x${string}`, wrappedKey: Uint8Array): Promise<void>;
  drop(datasetId: bigint): Promise<void>;
}

export interface StorageRoleStatus {
  capacityBytes: number;
  usedBytes: number;
  replicas: ReplicaSummary[];
  deals: { dealId: bigint; datasetId?: bigint | undefined; state: number }[];
  earnedWei: bigint;
}

export interface StorageRole {
  start(): Promise<void>;
  stop(): Promise<void>;
  status(): Promise<StorageRoleStatus>;
  readonly replicas: DatasetReplicaStore;
}

const MIB = 1024 * 1024;

const errorLine = (error: unknown) => (isAicError(error) ? error.toLine() : String(error));

export function createStorageRole(init: StorageRoleOptions & { dir: string }, c: StorageRoleComponents): StorageRole {
  const replicas = openDatasetReplicaStore({
    dir: join(init.dir, 'replicas'),
    content: c.content,
    heldElsewhere: c.heldElsewhere,
  });
  const provider: StorageProvider<DatasetReplicaStore> = createStorageProvider({
    dir: init.dir,
    ledger: c.ledger,
    store: replicas,
  });
  const capacityBytes = init.capacityMiB * MIB;
  const priceWeiPerMiB = aicToWei(init.priceAicPerMiBEpoch);
  const maxCollateralWei = aicToWei(init.maxCollateralAic);
  const fetching = new Set<string>();
  const servedRoots = new Map<`0x${string}`, { summary: ReplicaSummary; chunks: HeldChunks }>();
  let loops: Loop[] = [];
  let earnedWei = 0n;

  const usedBytes = async () => (await replicas.list()).reduce((n, r) => n + r.sizeBytes, 0);
  const priceFor = (sizeBytes: number | bigint) => BigInt(Math.ceil(Number(sizeBytes) / MIB)) * priceWeiPerMiB;

  /** Keeps the node's chunk index and holdings equal to the replicas held (an ended deal drops its replica). */
  async function syncServed(): Promise<void> {
    const now = await replicas.list();
    const live = new Set(now.map((r) => r.segmentRoot));
    for (const [root, { summary, chunks }] of servedRoots) {
      if (live.has(root)) continue;
      servedRoots.delete(root);
      c.held?.remove(chunks);
      c.withdraw?.(summary);
      await c.replicaKeys?.drop(summary.datasetId);
    }
    for (const summary of now) {
      if (servedRoots.has(summary.segmentRoot)) continue;
      const chunks = await replicas.heldChunks(summary.segmentRoot);
      servedRoots.set(summary.segmentRoot, { summary, chunks });
      c.held?.add(chunks);
      c.announce?.(summary);
    }
  }

  async function quote({ sizeBytes }: { sizeBytes: number }) {
    const freeBytes = Math.max(0, capacityBytes - (await usedBytes()));
    if (sizeBytes > freeBytes) {
      throw new AicError('STORAGE_NO_CAPACITY', `this storage node has ${freeBytes} bytes free`, {
        details: { sizeBytes, freeBytes },
      });
    }
    return {
      pricePerEpochWei: priceFor(sizeBytes).toString(),
      maxCollateralWei: maxCollateralWei.toString(),
      freeBytes,
    };
  }

  /**
   * Streams the replica from its holders into the content store block by block, checks the stored blocks against
   * the deal, then accepts it on chain (runs after the request answered). A refused or lost deal deletes the blocks.
   */
  async function fill(
    dealId: bigint,
    datasetId: bigint,
    manifestBytes: Uint8Array,
    holders: Parameters<typeof fetchReplicaChunks>[2],
    wrappedKey: Uint8Array | undefined,
  ) {
    const manifest = await checkedManifest(c.ledger, datasetId, manifestBytes);
    const staged = await replicas.stageReplica({ datasetId, manifestBytes, manifest }, (sink) =>
      fetchReplicaChunks(c.net, manifest, holders, sink),
    );
    const { commitment } = staged;
    try {
      await c.send(() => provider.acceptStored(dealId, commitment, () => staged.commit()));
    } catch (error) {
      await staged.discard(); // a no-op once committed: acceptStored removed the replica itself then
      throw error;
    }
    if (wrappedKey && c.replicaKeys) {
      // A key that does not open for this node or this root is not kept; the replica still serves ciphertext.
      await c.replicaKeys
        .keep(datasetId, manifest.datasetRoot, wrappedKey)
        .catch((error: unknown) =>
          c.log.warn({ dealId: String(dealId), err: errorLine(error) }, 'dataset key with the deal not kept'),
        );
    }
    await syncServed();
    c.log.info(
      {
        dealId: String(dealId),
        releasesKey: wrappedKey !== undefined,
        datasetId: String(datasetId),
        bytes: Number(commitment.sizeBytes),
        holders: holders.length,
      },
      'storage deal accepted: replica stored',
    );
  }

  async function takeDeal(
    request: {
      dealId: string;
      datasetId: string;
      manifest: Uint8Array;
      holders: string[];
      wrappedKey?: Uint8Array | undefined;
    },
    peer: Parameters<typeof resolveHolders>[1],
  ) {
    const dealId = BigInt(request.dealId);
    const datasetId = BigInt(request.datasetId);
    if (fetching.has(request.dealId)) return { status: 'fetching' as const };
    const deal = await readDeal(c.ledger, dealId);
    if (deal.state !== DealState.Proposed) {
      throw new AicError('STORAGE_DEAL_NOT_OPEN', `deal ${dealId} is not open for acceptance`);
    }
    const manifest = await checkedManifest(c.ledger, datasetId, request.manifest);
    if (BigInt(replicaLayout(manifest).sizeBytes) !== deal.sizeBytes) {
      throw new AicError('STORAGE_ROOT_MISMATCH', `deal ${dealId} is not sized for dataset ${datasetId}'s replica`);
    }
    const freeBytes = capacityBytes - (await usedBytes());
    if (deal.pricePerEpoch < priceFor(deal.sizeBytes) || deal.collateralRequired > maxCollateralWei) {
      throw new AicError(
        'STORAGE_TERMS_REFUSED',
        `deal ${dealId} pays less or asks more collateral than this node takes`,
      );
    }
    if (Number(deal.sizeBytes) > freeBytes) {
      throw new AicError('STORAGE_NO_CAPACITY', `this storage node has ${freeBytes} bytes free`);
    }
    const holders = await resolveHolders(c.net, peer, request.holders);
    fetching.add(request.dealId);
    void fill(dealId, datasetId, request.manifest, holders, request.wrappedKey)
      .catch((error: unknown) =>
        c.log.warn({ dealId: request.dealId, err: errorLine(error) }, 'storage deal not taken'),
      )
      .finally(() => fetching.delete(request.dealId));
    return { status: 'fetching' as const };
  }

  async function answerChallenges(): Promise<void> {
    const outcomes = await c.send(() => provider.answerOpenChallenges());
    for (const outcome of outcomes) {
      const fields = { dealId: String(outcome.dealId), segment: outcome.segmentIndex, result: outcome.result };
      if (outcome.result === 'answered') c.log.info(fields, 'storage challenge answered');
      else if (outcome.result !== 'pending')
        c.log.warn({ ...fields, err: errorLine(outcome.error) }, 'storage challenge not answered');
    }
    await syncServed();
  }

  async function collect(): Promise<void> {
    const withdrawn = await c.send(() => provider.collectPayments());
    if (withdrawn > 0n) {
      earnedWei += withdrawn;
      c.log.info({ withdrawnWei: String(withdrawn) }, 'storage pay collected');
    }
    await syncServed();
  }

  return {
    replicas,
    async start() {
      await c.net.handle(storageQuoteProtocol, (request) => quote(request));
      await c.net.handle(storageDealProtocol, (request, { peer }) => takeDeal(request, peer));
      if (!c.held) await serveDataset(c.net, replicas.served);
      await syncServed();
      const onError = (what: string) => (error: unknown) => c.log.warn({ err: errorLine(error) }, what);
      loops = [
        startLoop(init.answerIntervalMs, answerChallenges, onError('storage challenge pass failed')),
        startLoop(init.collectIntervalMs, collect, onError('storage pay collection failed')),
      ];
      c.log.info(
        { capacityMiB: init.capacityMiB, priceAicPerMiBEpoch: init.priceAicPerMiBEpoch },
        'storage role started',
      );
    },
    async stop() {
      await Promise.all(loops.map((l) => l.stop()));
      loops = [];
      await c.net.unhandle(storageQuoteProtocol.id).catch(() => undefined);
      await c.net.unhandle(storageDealProtocol.id).catch(() => undefined);
      if (!c.held) await stopServingDataset(c.net).catch(() => undefined);
    },
    async status() {
      const held = await replicas.list();
      const byRoot = new Map(held.map((r) => [r.segmentRoot, r.datasetId]));
      const deals = await Promise.all(
        (await provider.deals()).map(async (dealId) => {
          const deal = await readDeal(c.ledger, dealId);
          return { dealId, datasetId: byRoot.get(deal.segmentRoot.toLowerCase() as `0x${string}`), state: deal.state };
        }),
      );
      return { capacityBytes, usedBytes: await usedBytes(), replicas: held, deals, earnedWei };
    },
  };
}
