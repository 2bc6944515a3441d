/**
 * The data owner's side of the Storage Vessel: places N replicas of a dataset it holds on storage nodes (a deal per
 * provider on StorageMarket, the provider fetching the sealed chunks itself), then audits them: challenges each live
 * deal, slashes a missed challenge, and repairs a failed deal onto another provider from the surviving replicas.
 */
import { AicError, isAicError } from '@aic/core';
import type { StoragePreset } from '@aic/core/params';
import {
  type BlobCommitment,
  type DatasetManifest,
  DealState,
  type DealTerms,
  type HeldReplicaSource,
  MAX_DEAL_HOLDERS,
  proposeStorageDeal,
  publicKeyFromPeerId,
  readDeal,
  replicaCommitmentOf,
  type StorageDeal,
  storageDealProtocol,
  storageQuoteProtocol,
  wrapDatasetKey,
} from '@aic/data-vessel';
import type { LedgerClient } from '@aic/ledger';
import type { AicNetwork } from '@aic/network';
import type { Logger } from 'pino';
import type { SpendingGuard } from '../api/budget.ts';
import { checkedManifest } from './dataset-check.ts';
import type { Placement, PlacementBook } from './placements.ts';

/** A dataset this node holds (as its owner or as a replica): the public manifest and its sealed chunks one by one. */
export type HeldDataset = HeldReplicaSource;

export interface ReplicatorComponents {
  net: AicNetwork;
  ledger: LedgerClient;
  placements: PlacementBook;
  /** The dataset's sealed chunks as this node holds them, or undefined. */
  heldDataset: (datasetId: bigint) => Promise<HeldDataset | undefined>;
  send: <T>(task: () => Promise<T>) => Promise<T>;
  log: Logger;
  /** Polling period while waiting for a provider's acceptance on chain. */
  pollMs?: number;
  /** The API's budget caps: each deal's escrow is reserved before it is proposed (absent = no caps). */
  spending?: SpendingGuard | undefined;
  /**
   * The dataset key this node may hand on (its own dataset's, or one an owner gave it with a replica): wrapped to
   * each storage node with the deal so that node can release it while the owner is offline. Absent = chunks only.
   */
  datasetKey?: ((datasetId: bigint) => DatasetKey | undefined) | undefined;
}

export interface DatasetKey {
  datasetRoot: `0x${string}`;
  key: Uint8Array;
}

export interface ReplicateRequest {
  datasetId: bigint;
  replicas: number;
  pricePerEpochWei?: bigint | undefined;
  epochs?: number | undefined;
}

export interface ReplicateResult {
  datasetId: bigint;
  segmentRoot: string;
  sizeBytes: number;
  placed: Placement[];
  /** Deals placed by earlier calls that are still live (they count towards `replicas`). */
  existing: Placement[];
}

interface Candidate {
  peerId: string;
  pricePerEpochWei: bigint;
  maxCollateralWei: bigint;
}

type Settings = Pick<StoragePreset, 'dealEpochs' | 'collateralPerPrice' | 'acceptTimeoutMs'>;

const QUOTE_TIMEOUT_MS = 5_000;
const errorLine = (error: unknown) => (isAicError(error) ? error.toLine() : String(error));

export interface Replicator {
  replicate(request: ReplicateRequest): Promise<ReplicateResult>;
  /** One audit pass over every placement: challenge, slash a missed challenge, repair a failed deal. */
  audit(): Promise<void>;
}

export function createReplicator(settings: Settings, c: ReplicatorComponents): Replicator {
  const pollMs = c.pollMs ?? 250;

  async function quotes(sizeBytes: number, epochs: number, datasetId: bigint, exclude: Set<string>) {
    const peers = c.net.getPeers().filter((p) => !exclude.has(p.peerId));
    const answers = await Promise.all(
      peers.map(async ({ peerId }): Promise<Candidate | undefined> => {
        try {
          const q = await c.net.request(
            peerId,
            storageQuoteProtocol,
            { datasetId: String(datasetId), sizeBytes, epochs },
            { timeoutMs: QUOTE_TIMEOUT_MS },
          );
          return { peerId, pricePerEpochWei: BigInt(q.pricePerEpochWei), maxCollateralWei: BigInt(q.maxCollateralWei) };
        } catch {
          return undefined; // not a storage node, full, or gone
        }
      }),
    );
    return answers
      .filter((a): a is Candidate => a !== undefined)
      .sort((a, b) => (a.pricePerEpochWei < b.pricePerEpochWei ? -1 : a.pricePerEpochWei > b.pricePerEpochWei ? 1 : 0));
  }

  async function waitAccepted(dealId: bigint): Promise<StorageDeal | undefined> {
    const deadline = Date.now() + settings.acceptTimeoutMs;
    while (Date.now() < deadline) {
      const deal = await readDeal(c.ledger, dealId);
      if (deal.state !== DealState.Proposed) return deal.state === DealState.Active ? deal : undefined;
      await new Promise((resolve) => setTimeout(resolve, pollMs));
    }
    return undefined;
  }

  /** The dataset key wrapped to the storage node's own key (its PeerId's), or undefined when this node has none. */
  function keyFor(datasetId: bigint, peerId: string): Uint8Array | undefined {
    const held = c.datasetKey?.(datasetId);
    if (!held) return undefined;
    try {
      return wrapDatasetKey(held.key, publicKeyFromPeerId(peerId), held.datasetRoot);
    } catch (error) {
      // Not a secp256k1 PeerId: the replica is placed without the key (it serves ciphertext only).
      c.log.warn({ peerId, err: errorLine(error) }, 'dataset key not wrapped to the storage node');
      return undefined;
    }
  }

  /** Proposes one deal for `commitment` and has `candidate` take it; cancels the proposal if it does not. */
  async function placeOne(
    datasetId: bigint,
    manifestBytes: Uint8Array,
    commitment: BlobCommitment,
    terms: DealTerms,
    candidate: Candidate,
    holders: string[],
  ): Promise<Placement | undefined> {
    const escrowWei = terms.pricePerEpochWei * BigInt(terms.epochs);
    const reservation = await c.spending?.reserve(escrowWei, `storage deal for dataset ${datasetId}`);
    let dealId: bigint;
    try {
      dealId = await c.send(() => proposeStorageDeal(c.ledger, commitment, terms));
    } catch (error) {
      // A refused proposal escrowed nothing; after any other failure it may have, so it still counts.
      if (isAicError(error) && error.code === 'LEDGER_REVERTED') await reservation?.release();
      throw error;
    }
    const placement = await takeOrCancel(datasetId, dealId, manifestBytes, candidate, holders);
    // A cancelled proposal's escrow came back; an accepted one (or one whose cancel failed) is spent.
    const refunded = !placement && (await readDeal(c.ledger, dealId)).state === DealState.Cancelled;
    if (refunded) await reservation?.release();
    else await reservation?.settle(escrowWei);
    return placement;
  }

  async function takeOrCancel(
    datasetId: bigint,
    dealId: bigint,
    manifestBytes: Uint8Array,
    candidate: Candidate,
    holders: string[],
  ): Promise<Placement | undefined> {
    try {
      const wrappedKey = keyFor(datasetId, candidate.peerId);
      await c.net.request(candidate.peerId, storageDealProtocol, {
        dealId: String(dealId),
        datasetId: String(datasetId),
        manifest: manifestBytes,
        holders: holders.slice(0, MAX_DEAL_HOLDERS),
        ...(wrappedKey ? { wrappedKey } : {}),
      });
      const deal = await waitAccepted(dealId);
      if (deal) {
        const placement = { datasetId, dealId, peerId: candidate.peerId, provider: deal.provider };
        await c.placements.add(placement);
        c.log.info(
          { datasetId: String(datasetId), dealId: String(dealId), peerId: candidate.peerId },
          'replica placed',
        );
        return placement;
      }
    } catch (error) {
      c.log.warn({ dealId: String(dealId), peerId: candidate.peerId, err: errorLine(error) }, 'storage node refused');
    }
    // Not taken in time: the escrow comes back (unless the provider accepted meanwhile).
    await c
      .send(() => c.ledger.confirm('StorageMarket.cancelDeal', () => c.ledger.storage.write.cancelDeal([dealId])))
      .catch(() => undefined);
    const late = await readDeal(c.ledger, dealId);
    if (late.state === DealState.Active) {
      const placement = { datasetId, dealId, peerId: candidate.peerId, provider: late.provider };
      await c.placements.add(placement);
      return placement;
    }
    return undefined;
  }

  /**
   * This node's own addresses, then the peers holding live replicas (by a dialable address when connected to them,
   * else by peer id): where a provider fetches the chunks from.
   */
  const holdersOf = (datasetId: bigint, except?: bigint) => {
    const connected = new Map(c.net.getPeers().map((p) => [p.peerId, p.remoteAddrs[0]]));
    return [
      ...c.net.multiaddrs().map((a) => (a.includes('/p2p/') ? a : `${a}/p2p/${String(c.net.peerId)}`)),
      ...c.placements
        .of(datasetId)
        .filter((p) => p.dealId !== except)
        .map((p) => {
          const addr = connected.get(p.peerId);
          return addr === undefined ? p.peerId : `${addr.split('/p2p/')[0]}/p2p/${p.peerId}`;
        }),
    ];
  };

  async function livePlacements(datasetId: bigint): Promise<Placement[]> {
    const live: Placement[] = [];
    for (const p of c.placements.of(datasetId)) {
      if ((await readDeal(c.ledger, p.dealId)).state === DealState.Active) live.push(p);
    }
    return live;
  }

  async function place(
    datasetId: bigint,
    manifestBytes: Uint8Array,
    commitment: BlobCommitment,
    count: number,
    wanted: { pricePerEpochWei?: bigint | undefined; epochs: number },
    exclude: Set<string>,
    holders: string[],
  ): Promise<Placement[]> {
    const placed: Placement[] = [];
    for (const candidate of await quotes(Number(commitment.sizeBytes), wanted.epochs, datasetId, exclude)) {
      if (placed.length >= count) break;
      const price = wanted.pricePerEpochWei ?? candidate.pricePerEpochWei;
      if (candidate.pricePerEpochWei > price) continue;
      const asked = price * BigInt(wanted.epochs) * BigInt(settings.collateralPerPrice);
      const collateralWei = asked < candidate.maxCollateralWei ? asked : candidate.maxCollateralWei;
      const terms = { epochs: wanted.epochs, pricePerEpochWei: price, collateralWei };
      const placement = await placeOne(datasetId, manifestBytes, commitment, terms, candidate, holders);
      if (placement) placed.push(placement);
    }
    return placed;
  }

  async function replicate(request: ReplicateRequest): Promise<ReplicateResult> {
    const held = await c.heldDataset(request.datasetId);
    if (!held) {
      throw new AicError('STORAGE_DATASET_NOT_HELD', `this node does not hold dataset ${request.datasetId}`);
    }
    const manifest: DatasetManifest = await checkedManifest(c.ledger, request.datasetId, held.manifestBytes);
    // Read chunk by chunk: the owner never loads the whole replica to commit to it.
    const commitment = await replicaCommitmentOf(manifest, held.chunk);
    if (!commitment) {
      throw new AicError('STORAGE_DATASET_NOT_HELD', `a sealed chunk of dataset ${request.datasetId} is missing here`);
    }
    const existing = await livePlacements(request.datasetId);
    const exclude = new Set([String(c.net.peerId), ...existing.map((p) => p.peerId)]);
    const missing = Math.max(0, request.replicas - existing.length);
    const epochs = request.epochs ?? settings.dealEpochs;
    const placed =
      missing === 0
        ? []
        : await place(
            request.datasetId,
            held.manifestBytes,
            commitment,
            missing,
            { pricePerEpochWei: request.pricePerEpochWei, epochs },
            exclude,
            holdersOf(request.datasetId),
          );
    if (placed.length < missing) {
      throw new AicError(
        'STORAGE_NO_PROVIDER',
        `placed ${placed.length} of ${missing} replicas: no more storage nodes took the deal`,
        {
          details: { placed: placed.map((p) => String(p.dealId)), missing },
        },
      );
    }
    return {
      datasetId: request.datasetId,
      segmentRoot: commitment.segmentRoot,
      sizeBytes: Number(commitment.sizeBytes),
      placed,
      existing,
    };
  }

  /** A failed deal's replica placed anew, same root and terms, on a provider that holds none of this dataset. */
  async function repair(failed: Placement, deal: StorageDeal): Promise<void> {
    const manifestBytes = (await c.heldDataset(failed.datasetId))?.manifestBytes;
    if (!manifestBytes) throw new AicError('STORAGE_DATASET_NOT_HELD', `no manifest of dataset ${failed.datasetId}`);
    const exclude = new Set([String(c.net.peerId), ...c.placements.of(failed.datasetId).map((p) => p.peerId)]);
    const commitment = { segmentRoot: deal.segmentRoot, sizeBytes: deal.sizeBytes, segmentCount: deal.segmentCount };
    const [placed] = await place(
      failed.datasetId,
      manifestBytes,
      commitment,
      1,
      { pricePerEpochWei: deal.pricePerEpoch, epochs: deal.epochs },
      exclude,
      holdersOf(failed.datasetId, failed.dealId),
    );
    if (!placed) throw new AicError('STORAGE_NO_PROVIDER', `no storage node took the repair of deal ${failed.dealId}`);
    await c.placements.drop(failed.dealId);
    c.log.info({ failedDealId: String(failed.dealId), dealId: String(placed.dealId) }, 'replica repaired');
  }

  async function auditOne(p: Placement): Promise<void> {
    const deal = await readDeal(c.ledger, p.dealId);
    if (deal.state === DealState.Completed || deal.state === DealState.Cancelled) return c.placements.drop(p.dealId);
    if (deal.state === DealState.Failed) return repair(p, deal);
    if (deal.state !== DealState.Active) return;
    if (deal.challengeBlock === 0) {
      await c.send(() =>
        c.ledger.confirm('StorageMarket.challenge', () => c.ledger.storage.write.challenge([p.dealId])),
      );
      return;
    }
    const window = BigInt(await c.ledger.storage.read.RESPONSE_WINDOW_BLOCKS());
    const block = await c.ledger.publicClient.getBlockNumber({ cacheTime: 0 });
    if (block > BigInt(deal.challengeBlock) + window) {
      await c.send(() =>
        c.ledger.confirm('StorageMarket.slashMissedChallenge', () =>
          c.ledger.storage.write.slashMissedChallenge([p.dealId]),
        ),
      );
      c.log.warn({ dealId: String(p.dealId), peerId: p.peerId }, 'storage node missed its challenge: slashed');
      await repair(p, await readDeal(c.ledger, p.dealId));
    }
  }

  return {
    replicate,
    async audit() {
      for (const p of c.placements.all()) {
        await auditOne(p).catch((error: unknown) =>
          c.log.warn({ dealId: String(p.dealId), err: errorLine(error) }, 'storage audit step failed'),
        );
      }
    },
  };
}
