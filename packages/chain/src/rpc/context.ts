/** What every JSON-RPC handler reads: the executor, block-tag resolution, and a block with its receipts. */
import { bigIntToHex, hexToBytes } from '@ethereumjs/util';
import type { ChainExecutor } from '../exec/executor.ts';
import type { DecodedHeader } from '../exec/headers.ts';
import { RpcError } from './rpc-error.ts';
import type { BlockTag } from './schemas.ts';

export interface RpcContext {
  executor: ChainExecutor;
  clientVersion: string;
  logsMaxBlockRange: number;
  callGasCap: bigint;
  suggestedTipWei: bigint;
}

export type Handler = (ctx: RpcContext, params: unknown[]) => Promise<unknown>;

/** The header a tag names, or undefined for a number beyond the head (JSON-RPC answers null then). */
export async function resolveTag(ctx: RpcContext, tag: BlockTag | undefined): Promise<DecodedHeader | undefined> {
  const { executor } = ctx;
  if (tag === undefined || tag === 'latest' || tag === 'pending') return executor.headDecoded();
  if (tag === 'earliest') return executor.headerByNumber(0n);
  if (tag === 'finalized') return executor.headerByHash(executor.finalized());
  if (tag === 'safe') return executor.headerByHash(executor.safe());
  if (typeof tag === 'bigint') return executor.headerByNumber(tag);
  return executor.headerByHash(hexToBytes(tag.blockHash as `0x${string}`));
}

/** Like resolveTag, but a state read needs the block: unknown → -32000 "header not found" (geth's answer). */
export async function requireTag(ctx: RpcContext, tag: BlockTag | undefined): Promise<DecodedHeader> {
  const header = await resolveTag(ctx, tag);
  if (!header) throw new RpcError(-32000, 'header not found');
  return header;
}

export const hex = bigIntToHex;
