/**
 * Stable codes of the errors @aic/node raises: the node process, its state, keystores and the HTTP API (server and
 * typed client). Tests, API bodies, CLI lines and logs key on them; the API's status of each is in
 * `api/error-status.ts`. `npm run check` (scripts/check-error-codes.ts) fails when the source raises a code missing here.
 */
export const NODE_ERROR_CODES = [
  'ACCOUNT_AMBIGUOUS',
  'ACCOUNT_EXISTS_CONFLICT',
  'ACCOUNT_NOT_FOUND',
  'CLI_INVALID_ARGUMENT',
  'DATASET_ASSET_INVALID',
  'DATASET_DIR_INVALID',
  'DATASET_FETCH_FAILED',
  'DATASET_KEY_REFUSED',
  'DATASET_NO_HOLDERS',
  'DATASET_PREVIEW_NOT_HELD',
  'DATASET_PREVIEW_NOT_READY',
  'DATASET_ROOT_MISMATCH',
  // the Explorer and dashboards' chain reads (src/explorer)
  'EXPLORER_NOT_FOUND',
  'EXPLORER_QUERY_INVALID',
  'LEDGER_NO_SIGNER',
  'LEDGER_RPC_UNAVAILABLE',
  'LEDGER_UNAVAILABLE',
  'NODE_ABORTED',
  'NODE_API_LISTEN_FAILED',
  'NODE_API_TOKEN_INVALID',
  'NODE_IDENTITY_MISMATCH',
  'NODE_NOT_STARTED',
  'NODE_P2P_LISTEN_FAILED',
  'NODE_START_FAILED',
  'PASSWORD_FILE_NOT_FOUND',
  'PASSWORD_REQUIRED',
  'REWARDS_CONFLICT',
  'STATE_FILE_INVALID',
  'STATE_READ_FAILED',
  'STATE_WRITE_FAILED',
  // the Storage Vessel role and replica placement (src/storage)
  'STORAGE_DATASET_NOT_HELD',
  'STORAGE_DEAL_NOT_OPEN',
  'STORAGE_MANIFEST_MISMATCH',
  'STORAGE_NO_CAPACITY',
  'STORAGE_NO_PROVIDER',
  'STORAGE_ROOT_MISMATCH',
  'STORAGE_TERMS_REFUSED',
] as const;

/** Codes of the HTTP API itself: refusals by the server, and the typed client's own failures. */
export const API_ERROR_CODES = [
  'API_BAD_RESPONSE',
  'API_BODY_TOO_LARGE',
  'API_BUDGET_CAP_EXCEEDED',
  'API_HEADERS_TOO_LARGE',
  'API_HOST_FORBIDDEN',
  'API_INTERNAL',
  'API_INVALID_REQUEST',
  'API_ORIGIN_FORBIDDEN',
  'API_ROUTE_NOT_FOUND',
  'API_TIMEOUT',
  'API_TOKEN_UNREADABLE',
  'API_UNAUTHORIZED',
  'API_UNREACHABLE',
  'API_URI_TOO_LONG',
  'JOB_ASSET_KIND_MISMATCH',
  'JOB_NOT_FOUND',
  'JOB_REQUEST_INVALID',
  // chain failures and reverts as the API reports them (also raised by @aic/ledger)
  'LEDGER_CALL_FAILED',
  'LEDGER_REVERTED',
  // paid inference as the API reports it (also raised by @aic/model-vessel)
  'MODEL_CALL_INPUT_INVALID',
  'MODEL_CALL_UNPAID',
  'MODEL_NOT_SERVED',
] as const;

export type NodeErrorCode = (typeof NODE_ERROR_CODES)[number];
export type ApiErrorCode = (typeof API_ERROR_CODES)[number];
