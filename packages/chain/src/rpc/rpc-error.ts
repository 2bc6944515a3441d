/**
 * JSON-RPC error objects with geth's codes and phrases, so viem's error classes recognise them (nonce too low,
 * insufficient funds, execution reverted with the revert data in `error.data`).
 */
import { isAicError } from '@aic/core';
import { ZodError } from 'zod';

export interface RpcErrorBody {
  code: number;
  message: string;
  data?: unknown;
}

export class RpcError extends Error {
  constructor(
    readonly code: number,
    message: string,
    readonly data?: unknown,
  ) {
    super(message);
  }
}

export const METHOD_NOT_FOUND = -32601;
export const INVALID_PARAMS = -32602;
export const INVALID_REQUEST = -32600;
export const PARSE_ERROR = -32700;
/** geth's code for a revert in eth_call/eth_estimateGas. */
export const EXECUTION_REVERTED = 3;

export function toRpcError(error: unknown): RpcErrorBody {
  if (error instanceof RpcError) {
    return { code: error.code, message: error.message, ...(error.data === undefined ? {} : { data: error.data }) };
  }
  if (error instanceof ZodError) {
    const issue = error.issues[0];
    const where = issue?.path.length ? `params[${issue.path.join('][')}]` : 'params';
    return { code: INVALID_PARAMS, message: `invalid params: ${where}: ${issue?.message ?? 'malformed'}` };
  }
  if (isAicError(error)) {
    const invalid = error.code === 'CHAIN_RPC_INVALID_PARAMS' || error.code === 'CHAIN_RPC_RANGE_TOO_LARGE';
    return { code: invalid ? INVALID_PARAMS : -32000, message: error.message, data: { code: error.code } };
  }
  return { code: -32603, message: 'internal error' };
}
