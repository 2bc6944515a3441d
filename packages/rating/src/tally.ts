/**
 * One pass over an epoch's events: per resource, eligible and excluded usage, work units paid by unrelated payers,
 * ratings by payers, job outcomes and proven fraud.
 */
import type { RatingVote } from './consensus.ts';
import type { LedgerView } from './ledger-view.ts';
import { isRating } from './params.ts';
import type { Address } from './types.ts';

/** What one owner of a resource earned from it in the epoch (a resource sold mid-epoch has two). */
export interface OwnerShare {
  eligibleUsageWei: bigint;
  excludedUsageWei: bigint;
  workUnits: bigint;
}

export interface ResourceTally extends OwnerShare {
  completedJobs: number;
  failedJobs: number;
  slashedWei: bigint;
  fraud: boolean;
  /** Eligible fee paid per payer: the weight of that payer's rating. */
  feeByPayer: Map<Address, bigint>;
  ratingByRater: Map<Address, number>;
  /** The usage and work split by the owner at each event, in first-seen order; quality and reliability stay whole. */
  byOwner: Map<Address, OwnerShare>;
}

function emptyShare(): OwnerShare {
  return { eligibleUsageWei: 0n, excludedUsageWei: 0n, workUnits: 0n };
}

function emptyTally(): ResourceTally {
  return {
    ...emptyShare(),
    completedJobs: 0,
    failedJobs: 0,
    slashedWei: 0n,
    fraud: false,
    feeByPayer: new Map(),
    ratingByRater: new Map(),
    byOwner: new Map(),
  };
}

function shareOf(tally: ResourceTally, owner: Address): OwnerShare {
  let share = tally.byOwner.get(owner);
  if (!share) {
    share = emptyShare();
    tally.byOwner.set(owner, share);
  }
  return share;
}

/**
 * Tallies the events of `epoch` for every registered resource (events about unknown resources are ignored). Paid
 * usage and work count for the owner at the event (who also received the fee), judged unrelated or not against that
 * owner; ratings, outcomes and fraud are the resource's own.
 */
export function tallyEpoch(view: LedgerView): Map<string, ResourceTally> {
  const tallies = new Map<string, ResourceTally>();
  for (const resource of [...view.resources.keys()].sort()) tallies.set(resource, emptyTally());
  for (const { event: e, owner } of view.epochEvents) {
    const tally = tallies.get(e.resource);
    if (!tally) continue;
    switch (e.type) {
      case 'UsagePaid': {
        if (e.amountWei <= 0n) break;
        const share = shareOf(tally, owner);
        if (view.linkage.isRelated(e.payer, owner)) {
          tally.excludedUsageWei += e.amountWei;
          share.excludedUsageWei += e.amountWei;
        } else {
          tally.eligibleUsageWei += e.amountWei;
          share.eligibleUsageWei += e.amountWei;
          tally.feeByPayer.set(e.payer, (tally.feeByPayer.get(e.payer) ?? 0n) + e.amountWei);
        }
        break;
      }
      case 'WorkVerified':
        if (e.units > 0n && !view.linkage.isRelated(e.payer, owner)) {
          tally.workUnits += e.units;
          shareOf(tally, owner).workUnits += e.units;
        }
        break;
      case 'Rated':
        if (isRating(e.rating)) tally.ratingByRater.set(e.rater, e.rating);
        break;
      case 'JobOutcome':
        if (e.completed) tally.completedJobs++;
        else tally.failedJobs++;
        break;
      case 'FraudProven':
        tally.fraud = true;
        tally.slashedWei += e.slashedWei;
        break;
    }
  }
  return tallies;
}

/** The votes of raters who paid an eligible fee for the resource this epoch, in rater order. */
export function votesOf(tally: ResourceTally, stakes: ReadonlyMap<Address, bigint>): RatingVote[] {
  return [...tally.ratingByRater.entries()]
    .filter(([rater]) => (tally.feeByPayer.get(rater) ?? 0n) > 0n)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([rater, rating]) => ({
      rater,
      rating,
      stakeWei: stakes.get(rater) ?? 0n,
      feePaidWei: tally.feeByPayer.get(rater) ?? 0n,
    }));
}
