/**
 * RewardsPool's epoch arithmetic, reproduced exactly (contracts/rewards/RewardsPool.sol `_finalize` and `_touch`):
 *
 *   rate     = emission · 1e18 / totalScore          (reward per score unit, scaled by 1e18)
 *   released = rate · totalScore / 1e18              (what the epoch reserves; ≤ emission)
 *   paid_i   = score_i · rate / 1e18
 *
 * Dust (emission − Σ paid_i) stays in the pool. With n contributors it is < n + totalScore / 1e18 wei, i.e. at most
 * n + ⌊totalScore / 1e18⌋ wei, so at most n wei when the total score is ≤ 1e18 (the default 1-gwei score unit keeps
 * it there up to 10^9 AIC of usage per epoch).
 */
import type { Address } from './types.ts';

const PRECISION = 10n ** 18n;

export interface EpochRewards {
  rewardPerScore: bigint;
  releasedWei: bigint;
  payouts: Map<Address, bigint>;
  totalPaidWei: bigint;
  dustWei: bigint;
}

/**
 * What RewardsPool pays each contributor for an epoch with these scores and this emission.
 * @example rewardsForEpoch(new Map([['0xa', 1n], ['0xb', 2n]]), 10n).payouts // Map { '0xa' => 3n, '0xb' => 6n }
 */
export function rewardsForEpoch(scores: ReadonlyMap<Address, bigint>, emissionWei: bigint): EpochRewards {
  let totalScore = 0n;
  for (const score of scores.values()) totalScore += score;
  if (totalScore === 0n) {
    // An epoch without score releases nothing: its emission stays in the pool.
    return { rewardPerScore: 0n, releasedWei: 0n, payouts: new Map(), totalPaidWei: 0n, dustWei: 0n };
  }
  const rewardPerScore = (emissionWei * PRECISION) / totalScore;
  const releasedWei = (rewardPerScore * totalScore) / PRECISION;
  const payouts = new Map<Address, bigint>();
  let totalPaidWei = 0n;
  for (const [contributor, score] of scores) {
    const paid = (score * rewardPerScore) / PRECISION;
    payouts.set(contributor, paid);
    totalPaidWei += paid;
  }
  return { rewardPerScore, releasedWei, payouts, totalPaidWei, dustWei: emissionWei - totalPaidWei };
}

/** The dust bound stated above: emission − Σ paid ≤ this, for `contributors` non-zero scores summing to `totalScore`. */
export function maxDustWei(contributors: number, totalScore: bigint): bigint {
  return BigInt(contributors) + totalScore / PRECISION;
}
