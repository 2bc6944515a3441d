/**
 * One pass over an epoch's events: per resource, eligible and excluded usage, work units paid by unrelated payers,
 * ratings by payers, job outcomes and proven fraud.
 */
import type { RatingVote } from './consensus.ts';
import type { LedgerView } from './ledger-view.ts';
import { isRating } from './params.ts';
import type { Address, RatingEvent } from './types.ts';

export interface ResourceTally {
  eligibleUsageWei: bigint;
  excludedUsageWei: bigint;
  workUnits: bigint;
  completedJobs: number;
  failedJobs: number;
  slashedWei: bigint;
  fraud: boolean;
  /** Eligible fee paid per payer: the weight of that payer's rating. */
  feeByPayer: Map<Address, bigint>;
  ratingByRater: Map<Address, number>;
}

function emptyTally(): ResourceTally {
  return {
    eligibleUsageWei: 0n,
    excludedUsageWei: 0n,
    workUnits: 0n,
    completedJobs: 0,
    failedJobs: 0,
    slashedWei: 0n,
    fraud: false,
    feeByPayer: new Map(),
    ratingByRater: new Map(),
  };
}

/** Tallies the events of `epoch` for every registered resource (events about unknown resources are ignored). */
export function tallyEpoch(
  events: readonly RatingEvent[],
  epoch: number,
  view: LedgerView,
): Map<string, ResourceTally> {
  const tallies = new Map<string, ResourceTally>();
  for (const resource of [...view.resources.keys()].sort()) tallies.set(resource, emptyTally());
  for (const e of events) {
    if (e.epoch !== epoch || !('resource' in e) || e.type === 'ResourceRegistered') continue;
    const tally = tallies.get(e.resource);
    const owner = view.resources.get(e.resource)?.owner;
    if (!tally || owner === undefined) continue;
    switch (e.type) {
      case 'UsagePaid':
        if (e.amountWei <= 0n) break;
        if (view.linkage.isRelated(e.payer, owner)) {
          tally.excludedUsageWei += e.amountWei;
        } else {
          tally.eligibleUsageWei += e.amountWei;
          tally.feeByPayer.set(e.payer, (tally.feeByPayer.get(e.payer) ?? 0n) + e.amountWei);
        }
        break;
      case 'WorkVerified':
        if (e.units > 0n && !view.linkage.isRelated(e.payer, owner)) tally.workUnits += e.units;
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
