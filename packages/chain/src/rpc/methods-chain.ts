/** Chain, block, transaction and receipt reads, fees, and eth_sendRawTransaction. */
import { hexToBytes } from '@ethereumjs/util';
import { z } from 'zod';
import type { DecodedHeader } from '../exec/headers.ts';
import { type Handler, hex, type RpcContext, resolveTag } from './context.ts';
import { decodeTx, formatBlock, formatReceipt, formatTx, type TxPosition } from './format.ts';
import { blockTag, data, hash32, quantity } from './schemas.ts';

async function blockJson(ctx: RpcContext, header: DecodedHeader | undefined, full: boolean) {
  if (!header) return null;
  const block = await ctx.executor.store.getBlock(header.info.hash);
  if (!block) return null;
  return formatBlock(header.header, header.info.hash, block, full, ctx.executor.txCommon);
}

/** A mined transaction's block, position and receipt, when it is on the canonical chain. */
async function minedTx(ctx: RpcContext, txHash: string) {
  const { executor } = ctx;
  const location = await executor.store.txLocation(hexToBytes(txHash as `0x${string}`));
  if (!location) return undefined;
  const header = await executor.headerByHash(location.blockHash);
  if (!header || !(await executor.isCanonical(header.info))) return undefined;
  const block = await executor.store.getBlock(location.blockHash);
  const receipts = await executor.store.getReceipts(location.blockHash);
  const raw = block?.txs[location.index];
  if (!raw || !receipts) return undefined;
  const at: TxPosition = {
    blockHash: location.blockHash,
    blockNumber: header.info.number,
    index: location.index,
    baseFeeWei: header.header.baseFeePerGas ?? 0n,
  };
  const firstLogIndex = receipts.slice(0, location.index).reduce((n, r) => n + r.logs.length, 0);
  return { tx: decodeTx(raw, executor.txCommon), at, receipt: receipts[location.index], firstLogIndex };
}

export const chainMethods: Record<string, Handler> = {
  async eth_chainId(ctx) {
    return hex(BigInt(ctx.executor.common.chainId()));
  },
  async net_version(ctx) {
    return String(ctx.executor.common.chainId());
  },
  async web3_clientVersion(ctx) {
    return ctx.clientVersion;
  },
  async eth_blockNumber(ctx) {
    return hex(ctx.executor.head().number);
  },
  async eth_syncing() {
    return false;
  },
  async eth_accounts() {
    return [];
  },
  async eth_getBlockByNumber(ctx, params) {
    const [tag, full] = z.tuple([blockTag, z.boolean().optional()]).parse(params);
    return blockJson(ctx, await resolveTag(ctx, tag), full ?? false);
  },
  async eth_getBlockByHash(ctx, params) {
    const [hash, full] = z.tuple([hash32, z.boolean().optional()]).parse(params);
    return blockJson(ctx, await ctx.executor.headerByHash(hexToBytes(hash as `0x${string}`)), full ?? false);
  },
  async eth_getBlockTransactionCountByNumber(ctx, params) {
    const [tag] = z.tuple([blockTag]).parse(params);
    const header = await resolveTag(ctx, tag);
    const block = header && (await ctx.executor.store.getBlock(header.info.hash));
    return block ? hex(BigInt(block.txs.length)) : null;
  },
  async eth_getTransactionByHash(ctx, params) {
    const [hash] = z.tuple([hash32]).parse(params);
    const mined = await minedTx(ctx, hash);
    if (mined) return formatTx(mined.tx, mined.at);
    const pooled = ctx.executor.pool.get(hash.toLowerCase());
    return pooled ? formatTx(pooled.tx, undefined) : null;
  },
  async eth_getTransactionReceipt(ctx, params) {
    const [hash] = z.tuple([hash32]).parse(params);
    const mined = await minedTx(ctx, hash);
    if (!mined?.receipt) return null;
    return formatReceipt(mined.tx, mined.receipt, mined.at, mined.firstLogIndex);
  },
  async eth_sendRawTransaction(ctx, params) {
    const [raw] = z.tuple([data]).parse(params);
    return ctx.executor.addRawTransaction(hexToBytes(raw as `0x${string}`));
  },
  async eth_gasPrice(ctx) {
    return hex(ctx.executor.headDecoded().header.calcNextBaseFee() + ctx.suggestedTipWei);
  },
  async eth_maxPriorityFeePerGas(ctx) {
    return hex(ctx.suggestedTipWei);
  },
  async eth_feeHistory(ctx, params) {
    const [count, newest, percentiles] = z
      .tuple([
        z.union([quantity, z.number().int().nonnegative().transform(BigInt)]),
        blockTag,
        z.array(z.number().min(0).max(100)).optional(),
      ])
      .parse(params);
    const last = await resolveTag(ctx, newest);
    const blocks: DecodedHeader[] = [];
    const wanted = count > 1024n ? 1024n : count;
    for (let h = last; h && BigInt(blocks.length) < wanted; ) {
      blocks.unshift(h);
      h = h.info.number === 0n ? undefined : await ctx.executor.headerByHash(h.info.parentHash);
    }
    const oldest = blocks[0]?.info.number ?? 0n;
    const baseFees = blocks.map((b) => hex(b.header.baseFeePerGas ?? 0n));
    const tail = blocks.at(-1);
    if (tail) baseFees.push(hex(tail.header.calcNextBaseFee()));
    const ratios = blocks.map((b) => Number(b.header.gasUsed) / Number(b.header.gasLimit));
    const reward = percentiles ? await Promise.all(blocks.map((b) => rewardsOf(ctx, b, percentiles))) : undefined;
    return { oldestBlock: hex(oldest), baseFeePerGas: baseFees, gasUsedRatio: ratios, ...(reward ? { reward } : {}) };
  },
};

/** Effective tips at the requested percentiles of a block's transactions (by count, not gas: close enough here). */
async function rewardsOf(ctx: RpcContext, header: DecodedHeader, percentiles: number[]): Promise<string[]> {
  const block = await ctx.executor.store.getBlock(header.info.hash);
  const base = header.header.baseFeePerGas ?? 0n;
  const tips = (block?.txs ?? [])
    .map((raw) => decodeTx(raw, ctx.executor.txCommon).getEffectivePriorityFee(base))
    .sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  return percentiles.map((p) => {
    if (tips.length === 0) return '0x0';
    const i = Math.min(tips.length - 1, Math.floor((p / 100) * tips.length));
    return hex(tips[i] as bigint);
  });
}
