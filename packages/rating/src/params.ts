import { AicError, BPS_DENOMINATOR } from '@aic/core';
import type { RatingParams } from './types.ts';

const AIC = 10n ** 18n;
const UINT128_MAX = (1n << 128n) - 1n;

/**
 * Defaults matching the ledger's minimal preset (protocol and Plaza fee 2.5 %, emission 1,000,000 AIC per epoch).
 * The reward cap (2 % of eligible usage) sits below the 2.5 % fee, which makes wash trading a loss by construction.
 */
export function defaultRatingParams(epoch: number, overrides: Partial<RatingParams> = {}): RatingParams {
  return {
    epoch,
    unitValueWei: { gpu: AIC, dataset: AIC / 10n, model: AIC / 10n, storage: AIC / 100n },
    usageWeightBps: 5_000n,
    workWeightBps: 5_000n,
    qualityFloorBps: 2_000n,
    neutralRating: 100,
    scoreUnitWei: 10n ** 9n,
    emissionWei: 1_000_000n * AIC,
    maxRewardBpsOfUsage: 200n,
    worthlessRating: 20,
    minFeeBps: 250n,
    hubAddresses: [],
    ...overrides,
  };
}

/** Throws RATING_INVALID_PARAMS unless the parameters keep the engine's guarantees (bounded score, unprofitable wash). */
export function assertValidParams(params: RatingParams): void {
  const fail = (why: string): never => {
    throw new AicError('RATING_INVALID_PARAMS', why, { details: { epoch: params.epoch } });
  };
  if (!Number.isInteger(params.epoch) || params.epoch < 0) fail('epoch must be a non-negative integer');
  if (params.usageWeightBps < 0n || params.workWeightBps < 0n) fail('weights must be non-negative');
  if (params.usageWeightBps + params.workWeightBps > BPS_DENOMINATOR) fail('usage + work weights exceed 10,000 bps');
  if (params.qualityFloorBps < 0n || params.qualityFloorBps > BPS_DENOMINATOR) fail('quality floor out of range');
  if (!isRating(params.neutralRating)) fail('neutral rating must be an integer 0..100');
  if (!isRating(params.worthlessRating)) fail('worthless rating must be an integer 0..100');
  if (params.scoreUnitWei <= 0n) fail('score unit must be positive');
  if (params.emissionWei < 0n || params.emissionWei > UINT128_MAX) fail('emission out of range');
  if (params.maxRewardBpsOfUsage <= 0n) fail('reward cap must be positive');
  if (params.maxRewardBpsOfUsage >= params.minFeeBps) fail('reward cap must stay below the smallest fee');
}

/** True for an integer rating 0..100. */
export function isRating(value: number): boolean {
  return Number.isInteger(value) && value >= 0 && value <= 100;
}

export { UINT128_MAX };
