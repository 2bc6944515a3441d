/** Maps viem/EVM failures into AicErrors with stable codes and the decoded custom error name and arguments. */
import { AicError } from '@aic/core';
import { type Abi, BaseError, ContractFunctionRevertedError, decodeErrorResult, type Hex } from 'viem';
import { artifacts } from './artifacts/index.ts';

/** Every error of every AIC contract (OpenZeppelin's included), so revert data decodes whichever contract raised it. */
const ALL_ERRORS: Abi = dedupe(
  Object.values(artifacts).flatMap((a) => (a.abi as Abi).filter((x) => x.type === 'error')),
);

/**
 * The custom error (name, args) inside a failed call or transaction. viem decodes it when the node reports the revert
 * in the standard shape; some providers (Hardhat's EDR for eth_call) only attach raw `data` deeper in the cause chain,
 * so that is decoded here against every AIC ABI.
 */
export function decodeRevert(error: unknown): { errorName: string; args: readonly unknown[] } | undefined {
  if (error instanceof BaseError) {
    const reverted = error.walk((e) => e instanceof ContractFunctionRevertedError);
    if (reverted instanceof ContractFunctionRevertedError && reverted.data) {
      return { errorName: reverted.data.errorName, args: reverted.data.args ?? [] };
    }
  }
  const data = findRevertData(error);
  if (!data) return undefined;
  try {
    const decoded = decodeErrorResult({ abi: ALL_ERRORS, data });
    return { errorName: decoded.errorName, args: decoded.args ?? [] };
  } catch {
    return undefined;
  }
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

function findRevertData(error: unknown): Hex | undefined {
  let current: unknown = error;
  for (let depth = 0; current && typeof current === 'object' && depth < 12; depth++) {
    const data = (current as { data?: unknown }).data;
    if (typeof data === 'string' && /^0x[0-9a-fA-F]{8,}$/.test(data)) return data as Hex;
    if (data && typeof data === 'object' && typeof (data as { data?: unknown }).data === 'string') {
      const inner = (data as { data: string }).data;
      if (/^0x[0-9a-fA-F]{8,}$/.test(inner)) return inner as Hex;
    }
    current = (current as { cause?: unknown }).cause;
  }
  return undefined;
}

function dedupe(items: Abi): Abi {
  const seen = new Set<string>();
  return items.filter((item) => {
    const key = JSON.stringify(item);
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
