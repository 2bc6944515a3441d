/**
 * Stable codes of the errors @aic/devnet raises (tests, API bodies, CLI lines and logs key on them).
 * `npm run check` (scripts/check-error-codes.ts) fails when the source raises a code missing here.
 */
export const DEVNET_ERROR_CODES = [
  'DEVNET_CHAIN_TIME_TIMEOUT',
  'DEVNET_DEV_KEY_UNKNOWN',
  'DEVNET_JOB_RESULT_FAILED',
  'DEVNET_JOB_TIMEOUT',
  'DEVNET_NOT_CONNECTED',
  'DEVNET_POV_MARKET_MISPLACED',
  'DEVNET_POV_NOT_CONVERGED',
  'DEVNET_POV_VALIDATORS_TOO_FEW',
  'DEVNET_REQUEST_MALFORMED',
  'DEVNET_REQUEST_TOO_LARGE',
  'DEVNET_SOAK_TIMEOUT',
  'DEVNET_TEMPLATE_UNKNOWN',
  'FAUCET_ADDRESS_INVALID',
  'FAUCET_RATE_LIMITED',
  'FAUCET_UNAVAILABLE',
] as const;

export type DevnetErrorCode = (typeof DEVNET_ERROR_CODES)[number];
