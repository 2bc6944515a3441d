/**
 * The node's own eth_calls of a contract view at a given state (ValidatorStakes for the validator set and the
 * slasher, ComputeMarket for verified work): encode the call, run it on a state caller, decode the answer. One place
 * so every reader treats "no contract there yet", a revert and an undecodable answer the same way: as no answer.
 */
import { createAddressFromString, type Address as EvmAddress } from '@ethereumjs/util';
import { type Abi, bytesToHex, decodeFunctionResult, encodeFunctionData, getAddress, type Hex, hexToBytes } from 'viem';
import type { CallOutcome, CallRequest } from '../exec/state-reader.ts';

/** Runs one call on a fixed state (state-reader.ts `callAt` bound to a header, or an `openCaller`). */
export type StateCaller = (request: CallRequest) => Promise<CallOutcome>;

export interface ContractCall {
  abi: Abi;
  /** The contract's address. */
  to: Hex;
  functionName: string;
  args?: readonly unknown[];
  from?: Hex;
  gasLimit?: bigint;
}

/** The request `call` runs for encoded `data` sent to `to` (also for a transaction's simulation). */
export function callRequestOf(to: Hex, data: Hex, opts: { from?: Hex; gasLimit?: bigint } = {}): CallRequest {
  return {
    ...(opts.from === undefined ? {} : { from: addressOf(opts.from) }),
    to: addressOf(to),
    data: hexToBytes(data),
    ...(opts.gasLimit === undefined ? {} : { gasLimit: opts.gasLimit }),
  };
}

/**
 * Calls a view and decodes its result; undefined when it reverts, answers nothing (no contract at that state) or
 * answers something the ABI does not decode (another contract at that address). Callers cast to the view's type.
 * @example await callContractAt(call, { abi: validatorStakesAbi, to: stakes, functionName: 'rejectQuorum' }) // 3n
 */
export async function callContractAt(call: StateCaller, request: ContractCall): Promise<unknown> {
  const { abi, functionName, args = [] } = request;
  const data = encodeFunctionData({ abi, functionName, args } as never);
  const outcome = await call(callRequestOf(request.to, data, request));
  if (!outcome.success || outcome.returnData.length === 0) return undefined;
  try {
    return decodeFunctionResult({ abi, functionName, data: bytesToHex(outcome.returnData) } as never) as unknown;
  } catch {
    return undefined;
  }
}

function addressOf(address: Hex): EvmAddress {
  return createAddressFromString(getAddress(address));
}
