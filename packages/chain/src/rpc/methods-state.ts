/** State reads and executions: balances, code, storage, nonces, eth_call, eth_estimateGas. */
import { bytesToHex, createAddressFromString, hexToBytes, setLengthLeft } from '@ethereumjs/util';
import { z } from 'zod';
import { ChainError } from '../errors.ts';
import { type CallOutcome, type CallRequest, callAt, estimateGasAt, openCaller } from '../exec/state-reader.ts';
import { type Handler, hex, type RpcContext, requireTag } from './context.ts';
import { EXECUTION_REVERTED, RpcError } from './rpc-error.ts';
import { address, blockTag, callObject, quantity } from './schemas.ts';

const addressAt = z.tuple([address, blockTag.optional()]);

function toCallRequest(call: z.output<typeof callObject>, gasCap: bigint): CallRequest {
  const data = call.input ?? call.data;
  if (call.input && call.data && call.input !== call.data) {
    throw new ChainError('CHAIN_RPC_INVALID_PARAMS', 'both "data" and "input" are set and differ');
  }
  const gas = call.gas !== undefined && call.gas < gasCap ? call.gas : gasCap;
  return {
    ...(call.from ? { from: createAddressFromString(call.from) } : {}),
    ...(call.to ? { to: createAddressFromString(call.to) } : {}),
    ...(data ? { data: hexToBytes(data as `0x${string}`) } : {}),
    value: call.value ?? 0n,
    gasLimit: gas,
  };
}

function revertError(outcome: CallOutcome): RpcError {
  if (outcome.error === 'revert') {
    const reason = decodeReason(outcome.returnData);
    const message = reason ? `execution reverted: ${reason}` : 'execution reverted';
    return new RpcError(EXECUTION_REVERTED, message, bytesToHex(outcome.returnData));
  }
  return new RpcError(-32000, outcome.error ?? 'execution failed');
}

/** Error(string)'s reason, for the message (the raw data stays in error.data for custom errors). */
function decodeReason(data: Uint8Array): string | undefined {
  if (data.length < 68 || bytesToHex(data.subarray(0, 4)) !== '0x08c379a0') return undefined;
  const length = Number(BigInt(bytesToHex(data.subarray(36, 68))));
  return new TextDecoder().decode(data.subarray(68, 68 + length));
}

function gasCapOf(ctx: RpcContext): bigint {
  const limit = ctx.executor.head().gasLimit;
  if (limit < ctx.callGasCap) return limit;
  return ctx.callGasCap;
}

async function runCall(ctx: RpcContext, params: unknown[]) {
  const [call, tag] = z.tuple([callObject, blockTag.optional()]).parse(params);
  const header = await requireTag(ctx, tag);
  return { request: toCallRequest(call, gasCapOf(ctx)), header };
}

const blockchain = (ctx: RpcContext) => ({
  async getBlock(number: number) {
    const header = await ctx.executor.headerByNumber(BigInt(number));
    const hash = header?.info.hash ?? new Uint8Array(32);
    return { hash: () => hash };
  },
  async putBlock() {},
  shallowCopy() {
    return this;
  },
});

export const stateMethods: Record<string, Handler> = {
  async eth_getBalance(ctx, params) {
    const [who, tag] = addressAt.parse(params);
    const state = await ctx.executor.stateAt((await requireTag(ctx, tag)).header);
    return hex((await state.getAccount(createAddressFromString(who)))?.balance ?? 0n);
  },
  async eth_getCode(ctx, params) {
    const [who, tag] = addressAt.parse(params);
    const state = await ctx.executor.stateAt((await requireTag(ctx, tag)).header);
    return bytesToHex(await state.getCode(createAddressFromString(who)));
  },
  async eth_getStorageAt(ctx, params) {
    const [who, slot, tag] = z.tuple([address, quantity, blockTag.optional()]).parse(params);
    const state = await ctx.executor.stateAt((await requireTag(ctx, tag)).header);
    const key = setLengthLeft(hexToBytes(hex(slot)), 32);
    const value = await state.getStorage(createAddressFromString(who), key);
    return bytesToHex(setLengthLeft(value, 32));
  },
  async eth_getTransactionCount(ctx, params) {
    const [who, tag] = addressAt.parse(params);
    if (tag === 'pending') return hex(await ctx.executor.admission.pendingNonce(who.toLowerCase()));
    const state = await ctx.executor.stateAt((await requireTag(ctx, tag)).header);
    return hex((await state.getAccount(createAddressFromString(who)))?.nonce ?? 0n);
  },
  async eth_call(ctx, params) {
    const { request, header } = await runCall(ctx, params);
    const { executor } = ctx;
    const outcome = await callAt(executor.store.trieDb, executor.common, header.header, request, blockchain(ctx));
    if (!outcome.success) throw revertError(outcome);
    return bytesToHex(outcome.returnData);
  },
  async eth_estimateGas(ctx, params) {
    const { request, header } = await runCall(ctx, params);
    const { executor } = ctx;
    const cap = request.gasLimit ?? gasCapOf(ctx);
    // One VM for the whole search: each run reverts its writes (state-reader.ts openCaller).
    const call = await openCaller(executor.store.trieDb, executor.common, header.header, blockchain(ctx));
    const run = (gasLimit: bigint) => call({ ...request, gasLimit });
    const estimate = await estimateGasAt(run, cap);
    if ('failure' in estimate) throw revertError(estimate.failure);
    return hex(estimate.gas);
  },
};
