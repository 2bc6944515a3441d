/**
 * Stable codes of the errors @aic/verification raises (tests, API bodies, CLI lines and logs key on them).
 * `npm run check` (scripts/check-error-codes.ts) fails when the source raises a code missing here.
 */
export const VERIFICATION_ERROR_CODES = ['VERIFY_BISECTION_INVALID', 'VERIFY_INVALID_QUOTE'] as const;

export type VerificationErrorCode = (typeof VERIFICATION_ERROR_CODES)[number];
