import { AicError } from '@aic/core';

/**
 * Stable codes of the errors @aic/chain raises (tests, JSON-RPC error bodies, logs key on them).
 * `npm run check` (scripts/check-error-codes.ts) fails when the source raises a code missing here.
 */
export const CHAIN_ERROR_CODES = [
  'CHAIN_INVALID_BLOCK',
  // exec/: block import and building
  'CHAIN_UNKNOWN_PARENT',
  'CHAIN_UNKNOWN_BLOCK',
  'CHAIN_BAD_STATE_ROOT',
  'CHAIN_BAD_SEAL',
  'CHAIN_GENESIS_MISMATCH',
  // exec/: the transaction pool
  'CHAIN_TX_INVALID',
  'CHAIN_TX_CHAIN_ID',
  'CHAIN_TX_NONCE',
  'CHAIN_TX_FUNDS',
  'CHAIN_TX_GAS',
  'CHAIN_TX_UNDERPRICED',
  'CHAIN_TX_POOL_FULL',
  // store/
  'CHAIN_STORE_CORRUPT',
  'CHAIN_STORE_MISSING',
  'CHAIN_STORE_CLOSED',
  // rpc/
  'CHAIN_RPC_INVALID_PARAMS',
  'CHAIN_RPC_RANGE_TOO_LARGE',
  'CHAIN_RPC_EXECUTION_REVERTED',
  // consensus/: VRF tickets, seals, attestations, finality, evidence
  'CHAIN_CONSENSUS_INPUT',
  'CHAIN_BAD_SIGNATURE',
  'CHAIN_VRF_INVALID_KEY',
  'CHAIN_VRF_INVALID_PROOF',
  'CHAIN_SEAL_MALFORMED',
  'CHAIN_SEAL_SLOT',
  'CHAIN_SEAL_SIGNER',
  'CHAIN_SEAL_NODE_ID',
  'CHAIN_SEAL_COMMITMENT',
  'CHAIN_SEAL_VRF',
  'CHAIN_SEAL_NOT_ELIGIBLE',
  'CHAIN_SEAL_UNKNOWN_WORK',
  'CHAIN_ATTESTATION_INVALID',
  'CHAIN_EVIDENCE_INVALID',
  // node/: the validator service
  'CHAIN_GENESIS_INVALID',
] as const;

export type ChainErrorCode = (typeof CHAIN_ERROR_CODES)[number];

/** An error raised by @aic/chain; `code` is one of {@link ChainErrorCode}. */
export class ChainError extends AicError<ChainErrorCode> {
  override readonly name = 'ChainError';
}
