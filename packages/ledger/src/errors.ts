/** Maps viem/EVM failures into AicErrors with stable codes and the decoded custom error name and arguments. */
import { AicError } from '@aic/core';
import { BaseError, ContractFunctionRevertedError } from 'viem';

/** The custom error (name, args) inside a viem error, when the revert data decoded against the ABI. */
export function decodeRevert(error: unknown): { errorName: string; args: readonly unknown[] } | undefined {
  if (!(error instanceof BaseError)) return undefined;
  const reverted = error.walk((e) => e instanceof ContractFunctionRevertedError);
  if (reverted instanceof ContractFunctionRevertedError && reverted.data) {
    return { errorName: reverted.data.errorName, args: reverted.data.args ?? [] };
  }
  return undefined;
}

/** Wraps any failure of a ledger call into an AicError: LEDGER_REVERTED (with errorName) or LEDGER_CALL_FAILED. */
export function toLedgerError(error: unknown, call: string): AicError {
  if (error instanceof AicError) return error;
  const revert = decodeRevert(error);
  if (revert) {
    return new AicError('LEDGER_REVERTED', `${call} reverted with ${revert.errorName}`, {
      details: { call, errorName: revert.errorName, args: revert.args },
      cause: error,
    });
  }
  const short =
    error instanceof BaseError ? error.shortMessage : error instanceof Error ? error.message : String(error);
  return new AicError('LEDGER_CALL_FAILED', `${call} failed: ${short}`, { details: { call }, cause: error });
}
