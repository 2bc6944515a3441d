/**
 * The storage client: places a blob with providers under deals, challenges them, slashes missed challenges and
 * repairs a failed deal from a surviving replica onto another provider.
 */
import { AicError } from '@aic/core';
import type { LedgerClient } from '@aic/ledger';
import type { Hex } from '../commitments/index.ts';
import { DealState, type DealTerms, proposeStorageDeal, readDeal } from './market.ts';
import { type BlobCommitment, commitBlob } from './segments.ts';

/** Anything that can hand over a stored blob by its segment root (a provider's replica, a peer). Untrusted. */
export interface BlobHolder {
  readBlob(segmentRoot: Hex, segmentCount: number): Promise<Uint8Array>;
}

/** A provider as the client sees it: it accepts a proposed deal when handed the blob. */
export interface DealAcceptor {
  acceptDeal(dealId: bigint, blob: Uint8Array): Promise<void>;
}

export interface StorageClient {
  /** Proposes one deal per provider for `blob` and has each accept it; returns the deal ids in provider order. */
  placeBlob(blob: Uint8Array, providers: readonly DealAcceptor[], terms: DealTerms): Promise<bigint[]>;
  /** Opens a challenge on a live deal (the segment is drawn from the next block's hash). */
  challenge(dealId: bigint): Promise<void>;
  /** Slashes the provider of a deal whose challenge went unanswered past the response window. */
  slashMissedChallenge(dealId: bigint): Promise<void>;
  /**
   * After `dealId` failed: fetches the blob from a surviving replica, verifies it against the deal's root, and places
   * it with `onto` under a new deal with the same terms. Returns the new deal id.
   */
  repair(dealId: bigint, blobFrom: BlobHolder, onto: DealAcceptor): Promise<bigint>;
}

/** Creates a client acting with `ledger`'s account (it pays the escrow and receives slashed collateral). */
export function createStorageClient({ ledger }: { ledger: LedgerClient }): StorageClient {
  async function place(blob: Uint8Array, commitment: BlobCommitment, onto: DealAcceptor, terms: DealTerms) {
    const dealId = await proposeStorageDeal(ledger, commitment, terms);
    await onto.acceptDeal(dealId, blob);
    return dealId;
  }

  return {
    async placeBlob(blob, providers, terms) {
      const commitment = commitBlob(blob);
      const ids: bigint[] = [];
      for (const provider of providers) ids.push(await place(blob, commitment, provider, terms));
      return ids;
    },
    async challenge(dealId) {
      await ledger.confirm('StorageMarket.challenge', () => ledger.storage.write.challenge([dealId]));
    },
    async slashMissedChallenge(dealId) {
      await ledger.confirm('StorageMarket.slashMissedChallenge', () =>
        ledger.storage.write.slashMissedChallenge([dealId]),
      );
    },
    async repair(dealId, blobFrom, onto) {
      const failed = await readDeal(ledger, dealId);
      if (failed.state !== DealState.Failed) {
        throw new AicError('STORAGE_DEAL_NOT_FAILED', `deal ${dealId} has not failed; nothing to repair`, {
          details: { dealId: dealId.toString(), state: failed.state },
        });
      }
      const blob = await blobFrom.readBlob(failed.segmentRoot, failed.segmentCount);
      const commitment = commitBlob(blob);
      if (commitment.segmentRoot !== failed.segmentRoot.toLowerCase() || commitment.sizeBytes !== failed.sizeBytes) {
        throw new AicError('STORAGE_REPLICA_CORRUPT', `the replica fetched for deal ${dealId} does not match its root`);
      }
      const terms: DealTerms = {
        epochs: failed.epochs,
        pricePerEpochWei: failed.pricePerEpoch,
        collateralWei: failed.collateralRequired,
      };
      return place(blob, commitment, onto, terms);
    },
  };
}
