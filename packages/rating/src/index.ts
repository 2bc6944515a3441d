export { type ChainLog, type EpochSchedule, ratingEventsFromLogs } from './chain/from-logs.ts';
export { consensusQualityBps, type RatingVote, stakeWeightedMedian } from './consensus.ts';
export * from './errors.ts';
export { createLinkage, type Linkage, type MoneyEdge, stronglyConnectedComponents } from './linkage.ts';
export { assertValidParams, defaultRatingParams, isRating } from './params.ts';
export { type EpochRewards, maxDustWei, rewardsForEpoch } from './rewards.ts';
export {
  computeEpochScores,
  type EpochRating,
  maxRewardWeiPerScore,
  type ResourceScore,
  rateEpoch,
  type SlashRecord,
} from './score.ts';
export { type ScoreSet, sameScoreSet, scoreSetOf } from './score-set.ts';
export type * from './types.ts';
