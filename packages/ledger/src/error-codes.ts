/**
 * Stable codes of the errors @aic/ledger (client, deployment, revert decoding) raises (tests, API bodies, CLI lines and logs key on them).
 * `npm run check` (scripts/check-error-codes.ts) fails when the source raises a code missing here.
 */
export const LEDGER_ERROR_CODES = [
  'DEPLOY_INPUT_INVALID',
  'DEPLOY_NO_PASSWORD',
  'DEPLOY_RPC_UNREACHABLE',
  'LEDGER_CALL_FAILED',
  'LEDGER_CHAIN_ALREADY_SERVED',
  'LEDGER_CHAIN_CONFLICT',
  'LEDGER_DEPLOYMENT_INVALID',
  'LEDGER_DEPLOYMENT_UNAVAILABLE',
  'LEDGER_DEPLOY_FAILED',
  'LEDGER_REVERTED',
] as const;

export type LedgerErrorCode = (typeof LEDGER_ERROR_CODES)[number];
