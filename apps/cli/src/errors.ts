/**
 * Stable codes of the errors @aic/cli raises (tests, API bodies, CLI lines and logs key on them).
 * `npm run check` (scripts/check-error-codes.ts) fails when the source raises a code missing here.
 */
export const CLI_ERROR_CODES = [
  'ACCOUNT_IMPORT_INVALID',
  'CLI_CANCELLED',
  'CLI_CONFIRMATION_REQUIRED',
  'CLI_FILE_NOT_FOUND',
  'CLI_FILE_UNREADABLE',
  'CLI_INVALID_ARGUMENT',
  'DATA_REQUIREMENT_INVALID',
  'FAUCET_UNREACHABLE',
  'JOB_FAILED',
  'JOB_FOLLOW_TIMEOUT',
  'JOB_NOT_SETTLED',
  'JOB_RESULT_ELSEWHERE',
  'JOB_RESULT_FAILED',
  'JOB_RESULT_UNAVAILABLE',
  'LEDGER_DEPLOYMENT_UNAVAILABLE',
  'LEDGER_RPC_UNAVAILABLE',
  'PASSWORD_MISMATCH',
  'PASSWORD_REQUIRED',
] as const;

export type CliErrorCode = (typeof CLI_ERROR_CODES)[number];
