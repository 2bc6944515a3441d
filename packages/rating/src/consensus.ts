/**
 * Rating consensus in the style of Bittensor's Yuma consensus: every rating of a resource is clipped (from above) to
 * the stake-weighted median of all staked raters' ratings of it, then the clipped ratings are averaged weighted by the
 * fee each rater paid for the resource. A cabal holding under half the stake cannot move the median, so inflating its
 * own resources buys nothing; pulling others down costs it real fees paid to the very resources it attacks.
 */
import type { Address } from './types.ts';

export interface RatingVote {
  rater: Address;
  rating: number;
  stakeWei: bigint;
  feePaidWei: bigint;
}

/**
 * The lowest rating at which the raters rating at or below it hold at least half the stake; undefined when no stake.
 * @example stakeWeightedMedian([{ rating: 90, stakeWei: 3n }, { rating: 40, stakeWei: 7n }]) // 40
 */
export function stakeWeightedMedian(votes: ReadonlyArray<Pick<RatingVote, 'rating' | 'stakeWei'>>): number | undefined {
  const staked = votes.filter((v) => v.stakeWei > 0n).sort((a, b) => a.rating - b.rating);
  const total = staked.reduce((sum, v) => sum + v.stakeWei, 0n);
  if (total === 0n) return undefined;
  let cumulative = 0n;
  for (const vote of staked) {
    cumulative += vote.stakeWei;
    if (cumulative * 2n >= total) return vote.rating;
  }
  return undefined;
}

/**
 * Quality of a resource in bps (rating 100 = 10,000): the mean rating over its eligible paid usage, where each rater's
 * rating, clipped to the stake-weighted median (or to `neutralRating` when no staked rater rated it), covers the fee
 * that rater paid, and usage nobody rated counts at `neutralRating`. Linear in the fees: a payer's rating moves the
 * mean only over what that payer paid.
 */
export function consensusQualityBps(votes: readonly RatingVote[], neutralRating: number, usageWei: bigint): bigint {
  if (usageWei <= 0n) return BigInt(neutralRating) * 100n;
  const clip = stakeWeightedMedian(votes) ?? neutralRating;
  let weighted = 0n;
  let rated = 0n;
  for (const vote of votes) {
    if (vote.feePaidWei <= 0n) continue;
    weighted += vote.feePaidWei * BigInt(Math.min(vote.rating, clip));
    rated += vote.feePaidWei;
  }
  const unrated = usageWei > rated ? usageWei - rated : 0n;
  return ((weighted + unrated * BigInt(neutralRating)) * 100n) / (rated + unrated);
}
