/** Thin adapter over the StorageMarket contract through the typed ledger client. */
import { AicError } from '@aic/core';
import { keccak256Bulk } from '@aic/core/hash';
import type { LedgerClient } from '@aic/ledger';
import type { BlobCommitment } from './segments.ts';

/** The contract's DealState enum. */
export const DealState = { None: 0, Proposed: 1, Active: 2, Completed: 3, Failed: 4, Cancelled: 5 } as const;

/** Price and collateral of a deal, in AIC wei, for its whole blob. */
export interface DealTerms {
  epochs: number;
  pricePerEpochWei: bigint;
  collateralWei: bigint;
}

export type StorageDeal = Awaited<ReturnType<LedgerClient['storage']['read']['dealOf']>>;

const DEAL_PROPOSED_TOPIC = `0x${Buffer.from(
  keccak256Bulk(new TextEncoder().encode('DealProposed(uint256,address,bytes32,uint64,uint32,uint96)')),
).toString('hex')}`;

/** Reads a deal's record. */
export function readDeal(ledger: LedgerClient, dealId: bigint): Promise<StorageDeal> {
  return ledger.storage.read.dealOf([dealId]);
}

/** Proposes a deal for `commitment`, escrowing price × epochs by permit; returns the new deal id. */
export async function proposeStorageDeal(
  ledger: LedgerClient,
  commitment: BlobCommitment,
  terms: DealTerms,
): Promise<bigint> {
  const escrow = terms.pricePerEpochWei * BigInt(terms.epochs);
  const permit = await ledger.signPermit(ledger.storage.address, escrow);
  const receipt = await ledger.confirm('StorageMarket.proposeDeal', () =>
    ledger.storage.write.proposeDeal([
      commitment.segmentRoot,
      commitment.sizeBytes,
      commitment.segmentCount,
      terms.epochs,
      terms.pricePerEpochWei,
      terms.collateralWei,
      permit,
    ]),
  );
  // DealProposed indexes the deal id as its first topic; only the market's own log carries this signature.
  const market = ledger.storage.address.toLowerCase();
  const log = receipt.logs.find((l) => l.address.toLowerCase() === market && l.topics[0] === DEAL_PROPOSED_TOPIC);
  const idTopic = log?.topics[1];
  if (!idTopic) throw new AicError('STORAGE_DEAL_NOT_PROPOSED', 'proposeDeal emitted no DealProposed event');
  return BigInt(idTopic);
}
