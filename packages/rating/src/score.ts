/**
 * The Contribution Rating System's score: per resource, per epoch, an integer anyone can recompute from the events.
 *
 *   base        = (eligibleUsage · usageWeight + min(workUnits · unitValue, eligibleUsage) · workWeight) / 10,000
 *   score       = base · quality · reliability / 10^8 / scoreUnitWei      (0 when fraud was proven)
 *
 * so a score never exceeds eligibleUsage / scoreUnitWei. RewardsPool pays at most `maxRewardWeiPerScore` (=
 * scoreUnitWei · maxRewardBpsOfUsage / 10,000) per score unit and keeps the rest of the emission for later epochs;
 * with the cap below the fee, every wei of usage, even from an undetected Sybil, earns less in rewards than it paid
 * in fees, and no emission is paid without verified value behind it.
 */
import { AicError, BPS_DENOMINATOR } from '@aic/core';
import { consensusQualityBps } from './consensus.ts';
import { orderedEvents } from './events.ts';
import { buildLedgerView, type ResourceInfo } from './ledger-view.ts';
import { assertValidParams, UINT128_MAX } from './params.ts';
import { type OwnerShare, type ResourceTally, tallyEpoch, votesOf } from './tally.ts';
import type { Address, RatingEvent, RatingParams, ResourceKind } from './types.ts';

export interface ResourceScore {
  resource: string;
  kind: ResourceKind;
  owner: Address;
  eligibleUsageWei: bigint;
  excludedUsageWei: bigint;
  workCreditWei: bigint;
  qualityBps: bigint;
  reliabilityBps: bigint;
  fraud: boolean;
  score: bigint;
  /** AIC wei clawed back from the owner (fraud, or a consensus rating below `worthlessRating`); 0 otherwise. */
  penaltyWei: bigint;
}

export interface SlashRecord {
  epoch: number;
  resource: string;
  owner: Address;
  slashedWei: bigint;
}

export interface EpochRating {
  epoch: number;
  resources: ResourceScore[];
  /** Score per contributor (sorted by address). */
  scores: Map<Address, bigint>;
  /** Penalty per contributor in AIC wei (sorted by address; only non-zero ones). */
  penalties: Map<Address, bigint>;
  totalScore: bigint;
  slashes: SlashRecord[];
}

/**
 * Rates one epoch: every resource's components and score, per-contributor scores, slash records. A resource that
 * changed hands in the epoch has one entry per owner, each scored on the usage paid while it owned the resource.
 */
export function rateEpoch(events: readonly RatingEvent[], params: RatingParams): EpochRating {
  assertValidParams(params);
  const ordered = orderedEvents(events, params.epoch);
  const view = buildLedgerView(
    ordered,
    params.epoch,
    params.hubAddresses.map((a) => a.toLowerCase()),
  );
  const tallies = tallyEpoch(view);
  const resources: ResourceScore[] = [];
  const slashes: SlashRecord[] = [];
  for (const [resource, tally] of tallies) {
    const info = view.resources.get(resource)!;
    resources.push(...scoreResource(resource, info, tally, view.stakes, params));
    if (tally.fraud) slashes.push({ epoch: params.epoch, resource, owner: info.owner, slashedWei: tally.slashedWei });
  }
  const { scores, totalScore, penalties } = contributorScores(resources);
  return { epoch: params.epoch, resources, scores, totalScore, penalties, slashes };
}

/**
 * The scores to post to RewardsPool for `params.epoch`: contributor → score (uint128), sorted by address.
 * @example const scores = computeEpochScores(events, defaultRatingParams(7)); // Map { '0xab…' => 1234n, … }
 */
export function computeEpochScores(events: readonly RatingEvent[], params: RatingParams): Map<Address, bigint> {
  return rateEpoch(events, params).scores;
}

/** Quality and reliability are the resource's; each owner's share of usage and work gets its own score. */
function scoreResource(
  resource: string,
  info: ResourceInfo,
  tally: ResourceTally,
  stakes: ReadonlyMap<Address, bigint>,
  params: RatingParams,
): ResourceScore[] {
  const ratingBps = consensusQualityBps(votesOf(tally, stakes), params.neutralRating, tally.eligibleUsageWei);
  const qualityBps = params.qualityFloorBps + ((BPS_DENOMINATOR - params.qualityFloorBps) * ratingBps) / 10_000n;
  const reliabilityBps = reliabilityOf(tally);
  const penalized = tally.fraud || ratingBps < BigInt(params.worthlessRating) * 100n;
  const shares: Array<[Address, OwnerShare]> = tally.byOwner.size > 0 ? [...tally.byOwner] : [[info.owner, tally]];
  return shares.map(([owner, share]) => {
    const usage = share.eligibleUsageWei;
    const workCreditWei = smaller(share.workUnits * params.unitValueWei[info.kind], usage);
    const base = (usage * params.usageWeightBps + workCreditWei * params.workWeightBps) / BPS_DENOMINATOR;
    const score = tally.fraud
      ? 0n
      : (base * qualityBps * reliabilityBps) / (BPS_DENOMINATOR * BPS_DENOMINATOR) / params.scoreUnitWei;
    return {
      resource,
      kind: info.kind,
      owner,
      eligibleUsageWei: usage,
      excludedUsageWei: share.excludedUsageWei,
      workCreditWei,
      qualityBps,
      reliabilityBps,
      fraud: tally.fraud,
      score,
      penaltyWei: penalized ? (usage * params.maxRewardBpsOfUsage) / BPS_DENOMINATOR : 0n,
    };
  });
}

/** Math.min for bigints. */
function smaller(a: bigint, b: bigint): bigint {
  if (a < b) return a;
  return b;
}

/** Completed share of ended jobs in bps; 10,000 with no jobs (honest faults lower only this factor). */
function reliabilityOf(tally: ResourceTally): bigint {
  const ended = tally.completedJobs + tally.failedJobs;
  if (ended === 0) return BPS_DENOMINATOR;
  return (BigInt(tally.completedJobs) * BPS_DENOMINATOR) / BigInt(ended);
}

/**
 * The most RewardsPool pays per score unit: `maxRewardBpsOfUsage` of the usage one unit stands for (the contract's
 * `maxRewardPerScore`, set from the preset's `maxRewardWeiPerScore`).
 */
export function maxRewardWeiPerScore(params: RatingParams): bigint {
  return (params.scoreUnitWei * params.maxRewardBpsOfUsage) / BPS_DENOMINATOR;
}

function contributorScores(resources: readonly ResourceScore[]) {
  const byOwner = new Map<Address, bigint>();
  const penaltyOf = new Map<Address, bigint>();
  let contributed = 0n;
  for (const r of resources) {
    if (r.penaltyWei > 0n) penaltyOf.set(r.owner, (penaltyOf.get(r.owner) ?? 0n) + r.penaltyWei);
    if (r.score === 0n) continue;
    byOwner.set(r.owner, (byOwner.get(r.owner) ?? 0n) + r.score);
    contributed += r.score;
  }
  const scores = new Map([...byOwner.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
  for (const [contributor, score] of scores) {
    if (score > UINT128_MAX) {
      throw new AicError('RATING_SCORE_OVERFLOW', 'score does not fit in uint128', { details: { contributor } });
    }
  }
  const penalties = new Map([...penaltyOf.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
  return { scores, totalScore: contributed, penalties };
}
