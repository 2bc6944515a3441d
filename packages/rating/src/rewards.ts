/**
 * RewardsPool's epoch arithmetic, reproduced exactly (contracts/rewards/RewardsPool.sol `_applyScores`):
 *
 *   budget   = min(emission, totalScore · maxRewardPerScore)   (maxRewardPerScore 0 = no cap)
 *   rate     = budget · 1e18 / totalScore                       (reward per score unit, scaled by 1e18)
 *   paid_i   = score_i · rate / 1e18,   released = Σ paid_i
 *
 * What the cap holds back (emission − budget) is not released: no verified value supports it, so it stays in the
 * pool for later epochs. Dust (budget − released) stays in the pool too; with n contributors it is < n wei.
 */
import type { Address } from './types.ts';

const PRECISION = 10n ** 18n;

export interface EpochRewards {
  rewardPerScore: bigint;
  releasedWei: bigint;
  payouts: Map<Address, bigint>;
  totalPaidWei: bigint;
  /** budget − paid: rounding, stays in the pool. */
  dustWei: bigint;
  /** emission − budget: the emission no verified value supports, stays in the pool for later epochs. */
  unbackedWei: bigint;
}

/**
 * What RewardsPool pays each contributor for an epoch with these scores, this emission and this cap per score unit.
 * @example rewardsForEpoch(new Map([['0xa', 1n], ['0xb', 2n]]), 10n).payouts // Map { '0xa' => 3n, '0xb' => 6n }
 */
export function rewardsForEpoch(
  scores: ReadonlyMap<Address, bigint>,
  emissionWei: bigint,
  maxRewardWeiPerScore = 0n,
): EpochRewards {
  let totalScore = 0n;
  for (const score of scores.values()) totalScore += score;
  if (totalScore === 0n) {
    // An epoch without score releases nothing: its emission stays in the pool.
    const none = { rewardPerScore: 0n, releasedWei: 0n, payouts: new Map(), totalPaidWei: 0n, dustWei: 0n };
    return { ...none, unbackedWei: emissionWei };
  }
  const capped = maxRewardWeiPerScore > 0n && totalScore * maxRewardWeiPerScore < emissionWei;
  const budget = capped ? totalScore * maxRewardWeiPerScore : emissionWei;
  const rewardPerScore = (budget * PRECISION) / totalScore;
  const payouts = new Map<Address, bigint>();
  let totalPaidWei = 0n;
  for (const [contributor, score] of scores) {
    const paid = (score * rewardPerScore) / PRECISION;
    payouts.set(contributor, paid);
    totalPaidWei += paid;
  }
  return {
    rewardPerScore,
    releasedWei: totalPaidWei,
    payouts,
    totalPaidWei,
    dustWei: budget - totalPaidWei,
    unbackedWei: emissionWei - budget,
  };
}

/** The dust bound stated above: budget − Σ paid ≤ this, for `contributors` non-zero scores summing to `totalScore`. */
export function maxDustWei(contributors: number, totalScore: bigint): bigint {
  return BigInt(contributors) + totalScore / PRECISION;
}
