/**
 * A storage provider: keeps replicas in its segment store, accepts deals whose root matches the blob it was handed
 * (posting collateral), and answers open challenges on its deals with the segment and its Merkle proof.
 */
import { AicError } from '@aic/core';
import { bytesToHex0x } from '@aic/core/merkle';
import type { LedgerClient } from '@aic/ledger';
import type { Address } from 'viem';
import { chunkProof, type Hex } from '../commitments/index.ts';
import { openDealBook, type ServedDeal } from './deal-book.ts';
import { DealState, readDeal } from './market.ts';
import { openSegmentStore, type SegmentStore } from './segment-store.ts';
import { type BlobCommitment, commitBlob } from './segments.ts';

/** What the provider reads replicas from: segments by root and index (a SegmentStore, or dataset replicas). */
export type ReplicaStore = Pick<SegmentStore, 'get' | 'has' | 'leaves' | 'read' | 'remove'>;

/** What one `answerOpenChallenges` pass did for each of the provider's deals with an open challenge. */
export interface ChallengeOutcome {
  dealId: bigint;
  /**
   * answered: proven on chain; pending: the seed block is not mined yet; missing: the replica is gone; failed: the
   * chain call failed (e.g. the response window closed), see `error`.
   */
  result: 'answered' | 'pending' | 'missing' | 'failed';
  segmentIndex?: number;
  error?: unknown;
}

export interface StorageProvider<S extends ReplicaStore = SegmentStore> {
  address: Address;
  store: S;
  /** Deals this provider accepted and still serves (kept in `<dir>/deals.json` across restarts). */
  deals(): Promise<bigint[]>;
  /** Stores `blob`, checks its root against the proposed deal, then accepts it on chain (a SegmentStore only). */
  acceptDeal(dealId: bigint, blob: Uint8Array): Promise<void>;
  /**
   * Checks `commitment` against the proposed deal, runs `store` (which puts the replica in this provider's store),
   * then accepts the deal on chain; a lost acceptance removes the replica again unless another deal keeps it.
   */
  acceptStored(dealId: bigint, commitment: BlobCommitment, store: () => Promise<unknown>): Promise<void>;
  /** Checks every deal of this provider for an open challenge and answers those it can. */
  answerOpenChallenges(): Promise<ChallengeOutcome[]>;
  /**
   * Runs answerOpenChallenges every `intervalMs` until the returned stop() (a pass never overlaps the next).
   * Failures of a pass go to `onError` and the watch goes on.
   */
  watchChallenges(options: {
    intervalMs: number;
    onOutcome?: (outcome: ChallengeOutcome) => void;
    onError?: (error: unknown) => void;
  }): { stop(): void };
  /**
   * Collects what its deals earned: completes each deal whose term is over (last epochs + collateral back, the deal
   * is dropped) and has the others pay the epochs stored so far (skipped while a challenge is open), then withdraws
   * its credit from the market. Returns the AIC wei withdrawn.
   */
  collectPayments(): Promise<bigint>;
  /** The blob of a deal this provider holds (a replica other providers can be repaired from). */
  readBlob(segmentRoot: Hex): Promise<Uint8Array>;
}

export interface StorageProviderOptions<S extends ReplicaStore = SegmentStore> {
  /** Folder of the deal book (and of the default replica store, `<dir>/<segmentRoot>/<index>`). */
  dir: string;
  /** The provider's ledger client (its account posts collateral and answers challenges). */
  ledger: LedgerClient;
  /** Where replicas live (default: a SegmentStore under `dir`). */
  store?: S;
}

/** Creates a provider over its own store and account. Challenges are polled, not pushed. */
export function createStorageProvider<S extends ReplicaStore = SegmentStore>({
  dir,
  ledger,
  store: given,
}: StorageProviderOptions<S>): StorageProvider<S> {
  const store = (given ?? openSegmentStore(dir)) as S;
  const book = openDealBook(dir);

  async function acceptDeal(dealId: bigint, blob: Uint8Array): Promise<void> {
    const put = (store as Partial<SegmentStore>).put;
    if (!put) throw new AicError('STORAGE_DEAL_NOT_OPEN', 'this provider stores replicas through acceptStored');
    await acceptStored(dealId, commitBlob(blob), () => put.call(store, blob));
  }

  async function acceptStored(dealId: bigint, commitment: BlobCommitment, put: () => Promise<unknown>) {
    const deal = await readDeal(ledger, dealId);
    if (deal.state !== DealState.Proposed) {
      throw new AicError('STORAGE_DEAL_NOT_OPEN', `deal ${dealId} is not open for acceptance`, {
        details: { dealId: dealId.toString(), state: deal.state },
      });
    }
    if (commitment.segmentRoot !== deal.segmentRoot.toLowerCase() || commitment.sizeBytes !== deal.sizeBytes) {
      // Never post collateral for data that would fail its first challenge.
      throw new AicError('STORAGE_ROOT_MISMATCH', `the blob handed over is not the one deal ${dealId} commits to`);
    }
    await put();
    try {
      const permit = await ledger.signPermit(ledger.storage.address, deal.collateralRequired);
      await ledger.confirm('StorageMarket.acceptDeal', () => ledger.storage.write.acceptDeal([dealId, permit]));
    } catch (error) {
      // Lost the deal (another provider accepted first, no funds): keep no replica that no deal pays for.
      const served = await book.entries();
      if (!served.some(([, d]) => d.root === commitment.segmentRoot)) await store.remove(commitment.segmentRoot);
      throw error;
    }
    await book.add(dealId, { root: commitment.segmentRoot, segmentCount: commitment.segmentCount });
  }

  /** Stops serving a deal that ended; its replica goes too unless another live deal stores the same blob. */
  async function release(dealId: bigint, root: Hex): Promise<void> {
    await book.drop(dealId);
    if (!(await book.entries()).some(([, d]) => d.root === root)) await store.remove(root);
  }

  async function answerOne(dealId: bigint, { root, segmentCount }: ServedDeal): Promise<ChallengeOutcome | undefined> {
    const deal = await readDeal(ledger, dealId);
    if (deal.state !== DealState.Active) {
      await release(dealId, root); // completed or failed: nothing left to prove
      return undefined;
    }
    if (deal.challengeBlock === 0) return undefined;
    // No cached block number: a challenge becomes answerable the moment its seed block is mined.
    const block = await ledger.publicClient.getBlockNumber({ cacheTime: 0 });
    if (block <= BigInt(deal.challengeBlock) + 1n) return { dealId, result: 'pending' };
    const index = await ledger.storage.read.challengedSegment([dealId]);
    // Only the challenged segment and the leaves are read, not the whole replica.
    const segment = await store.get(root, index);
    if (!segment) return { dealId, result: 'missing', segmentIndex: index };
    const proof = chunkProof(await store.leaves(root, segmentCount), index);
    await ledger.confirm('StorageMarket.answerChallenge', () =>
      ledger.storage.write.answerChallenge([dealId, index, bytesToHex0x(segment), proof]),
    );
    return { dealId, result: 'answered', segmentIndex: index };
  }

  async function answerOpenChallenges(): Promise<ChallengeOutcome[]> {
    const outcomes: ChallengeOutcome[] = [];
    for (const [dealId, served] of await book.entries()) {
      try {
        const outcome = await answerOne(dealId, served);
        if (outcome) outcomes.push(outcome);
      } catch (error) {
        outcomes.push({ dealId, result: 'failed', error }); // one deal's failure must not starve the others
      }
    }
    return outcomes;
  }

  async function collectPayments(): Promise<bigint> {
    const now = (await ledger.publicClient.getBlock({ blockTag: 'latest' })).timestamp;
    const epochSec = BigInt(await ledger.storage.read.EPOCH_SEC());
    for (const [dealId, { root }] of await book.entries()) {
      const deal = await readDeal(ledger, dealId);
      if (deal.state !== DealState.Active) {
        await release(dealId, root);
      } else if (now - BigInt(deal.startedAt) >= epochSec * BigInt(deal.epochs)) {
        await ledger.confirm('StorageMarket.completeDeal', () => ledger.storage.write.completeDeal([dealId]));
        await release(dealId, root);
      } else if (deal.challengeBlock === 0 && (now - BigInt(deal.startedAt)) / epochSec > BigInt(deal.paidEpochs)) {
        // Only when an epoch is due: a pass with nothing to pay sends no transaction.
        await ledger.confirm('StorageMarket.payStorage', () => ledger.storage.write.payStorage([dealId]));
      }
    }
    const owed = await ledger.storage.read.owed([ledger.account()]);
    if (owed > 0n) await ledger.confirm('StorageMarket.withdraw', () => ledger.storage.write.withdraw());
    return owed;
  }

  return {
    address: ledger.account(),
    collectPayments,
    store,
    deals: async () => (await book.entries()).map(([id]) => id),
    acceptDeal,
    acceptStored,
    answerOpenChallenges,
    watchChallenges({ intervalMs, onOutcome, onError }) {
      let stopped = false;
      let timer: NodeJS.Timeout | undefined;
      const pass = async () => {
        try {
          for (const outcome of await answerOpenChallenges()) onOutcome?.(outcome);
        } catch (error) {
          onError?.(error);
        }
        if (!stopped) timer = setTimeout(pass, intervalMs);
      };
      timer = setTimeout(pass, 0);
      return {
        stop() {
          stopped = true;
          clearTimeout(timer);
        },
      };
    },
    async readBlob(segmentRoot) {
      for (const [, { root, segmentCount }] of await book.entries()) {
        if (root === segmentRoot) return store.read(root, segmentCount);
      }
      throw new AicError('STORAGE_REPLICA_MISSING', `no replica of ${segmentRoot} is held here`);
    },
  };
}
