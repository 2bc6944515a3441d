/**
 * Stable codes of the errors @aic/rating raises (tests, API bodies, CLI lines and logs key on them).
 * `npm run check` (scripts/check-error-codes.ts) fails when the source raises a code missing here.
 */
export const RATING_ERROR_CODES = ['RATING_INVALID_PARAMS', 'RATING_SCORE_OVERFLOW', 'SIM_TOO_FEW_EPOCHS'] as const;

export type RatingErrorCode = (typeof RATING_ERROR_CODES)[number];
