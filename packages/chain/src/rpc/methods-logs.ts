/**
 * eth_getLogs over canonical blocks: a header's logs bloom is tested before its receipts are read; a request spans
 * at most `logsMaxBlockRange` blocks (CHAIN_RPC_RANGE_TOO_LARGE beyond, as providers cap it).
 */
import { bytesToHex, hexToBytes } from '@ethereumjs/util';
import { z } from 'zod';
import { ChainError } from '../errors.ts';
import type { DecodedHeader } from '../exec/headers.ts';
import { bloomMayContain } from './bloom.ts';
import { type Handler, type RpcContext, resolveTag } from './context.ts';
import { decodeTx, formatLog } from './format.ts';
import { type LogFilter, logFilter } from './schemas.ts';

function matcher(filter: LogFilter) {
  const addresses = filter.address === undefined ? [] : [filter.address].flat().map((a) => a.toLowerCase());
  const topics = (filter.topics ?? []).map((t) => (t === null ? null : [t].flat().map((x) => x.toLowerCase())));
  const header = (h: DecodedHeader): boolean => {
    const bloom = h.header.logsBloom;
    if (addresses.length > 0 && !addresses.some((a) => bloomMayContain(bloom, hexToBytes(a as `0x${string}`)))) {
      return false;
    }
    return topics.every(
      (alt) => alt === null || alt.some((t) => bloomMayContain(bloom, hexToBytes(t as `0x${string}`))),
    );
  };
  const log = (address: string, logTopics: string[]): boolean =>
    (addresses.length === 0 || addresses.includes(address)) &&
    topics.every((alt, i) => alt === null || (logTopics[i] !== undefined && alt.includes(logTopics[i] as string)));
  return { header, log };
}

async function logsOf(ctx: RpcContext, h: DecodedHeader, match: ReturnType<typeof matcher>): Promise<unknown[]> {
  if (!match.header(h)) return [];
  const { store, txCommon: common } = ctx.executor;
  const [block, receipts] = [await store.getBlock(h.info.hash), await store.getReceipts(h.info.hash)];
  if (!block || !receipts) return [];
  const out: unknown[] = [];
  let logIndex = 0;
  receipts.forEach((receipt, index) => {
    const at = { blockHash: h.info.hash, blockNumber: h.info.number, index, baseFeeWei: 0n };
    let txHash: Uint8Array | undefined;
    for (const log of receipt.logs) {
      const topics = log.topics.map((t) => bytesToHex(t));
      if (match.log(bytesToHex(log.address), topics)) {
        txHash ??= decodeTx(block.txs[index] as Uint8Array, common).hash();
        out.push(formatLog(log, at, txHash, logIndex));
      }
      logIndex++;
    }
  });
  return out;
}

export const logMethods: Record<string, Handler> = {
  async eth_getLogs(ctx, params) {
    const [filter] = z.tuple([logFilter]).parse(params);
    const match = matcher(filter);
    if (filter.blockHash) {
      const h = await ctx.executor.headerByHash(hexToBytes(filter.blockHash as `0x${string}`));
      if (!h) throw new ChainError('CHAIN_RPC_INVALID_PARAMS', 'unknown block hash');
      return logsOf(ctx, h, match);
    }
    const head = ctx.executor.head().number;
    // A number past the head counts as asked (the cap is on the request), tags resolve to their block.
    const numberOf = async (tag: LogFilter['fromBlock']): Promise<bigint> =>
      typeof tag === 'bigint' ? tag : ((await resolveTag(ctx, tag ?? 'latest'))?.info.number ?? head);
    const from = await numberOf(filter.fromBlock);
    const to = await numberOf(filter.toBlock);
    if (to - from + 1n > BigInt(ctx.logsMaxBlockRange)) {
      throw new ChainError('CHAIN_RPC_RANGE_TOO_LARGE', `block range exceeds ${ctx.logsMaxBlockRange} blocks`, {
        details: { from, to },
      });
    }
    let last = to;
    if (head < last) last = head;
    const out: unknown[] = [];
    for (let n = from; n <= last; n++) {
      const h = await ctx.executor.headerByNumber(n);
      if (h) out.push(...(await logsOf(ctx, h, match)));
    }
    return out;
  },
};
