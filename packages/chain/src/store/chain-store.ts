/**
 * Blocks, receipts, the canonical number→hash index, the transaction index and the head pointers, on the chain's
 * key-value store. Writes of one block (block, receipts, tx index) and of one head change (canonical entries, head)
 * are each one atomic batch, so a crash leaves either the old or the new head, never half of one.
 */
import { RLP } from '@ethereumjs/rlp';
import { bigIntToUnpaddedBytes, bytesToBigInt } from '@ethereumjs/util';
import { ChainError } from '../errors.ts';
import { decodePovBlock, encodePovBlock, type PovBlock } from '../exec/block-types.ts';
import type { KvOp, KvStore } from './kv.ts';
import { decodeReceipts, encodeReceipts, metaKey, numberKey, type StoredReceipt, TABLE, tableKey } from './records.ts';
import { TrieDb } from './trie-db.ts';

export interface TxLocation {
  blockHash: Uint8Array;
  index: number;
}

export class ChainStore {
  readonly trieDb: TrieDb;

  constructor(readonly kv: KvStore) {
    this.trieDb = new TrieDb(kv);
  }

  async getBlock(hash: Uint8Array): Promise<PovBlock | undefined> {
    const bytes = await this.kv.get(tableKey(TABLE.block, hash));
    if (bytes === undefined) return undefined;
    try {
      return decodePovBlock(bytes);
    } catch (cause) {
      throw new ChainError('CHAIN_STORE_CORRUPT', 'a stored block does not decode', { cause });
    }
  }

  async getReceipts(hash: Uint8Array): Promise<StoredReceipt[] | undefined> {
    const bytes = await this.kv.get(tableKey(TABLE.receipts, hash));
    return bytes === undefined ? undefined : decodeReceipts(bytes);
  }

  async canonicalHash(n: bigint): Promise<Uint8Array | undefined> {
    return this.kv.get(numberKey(n));
  }

  async txLocation(txHash: Uint8Array): Promise<TxLocation | undefined> {
    const bytes = await this.kv.get(tableKey(TABLE.tx, txHash));
    if (bytes === undefined) return undefined;
    const [blockHash, index] = RLP.decode(bytes) as unknown as [Uint8Array, Uint8Array];
    return { blockHash, index: Number(bytesToBigInt(index)) };
  }

  async getMeta(name: 'head' | 'finalized' | 'genesis' | 'safe'): Promise<Uint8Array | undefined> {
    return this.kv.get(metaKey(name));
  }

  /** Stores an executed block with its receipts (not yet canonical: `setCanonical` does that). */
  async putBlock(hash: Uint8Array, block: PovBlock, receipts: StoredReceipt[]): Promise<void> {
    await this.kv.batch([
      { type: 'put', key: tableKey(TABLE.block, hash), value: encodePovBlock(block) },
      { type: 'put', key: tableKey(TABLE.receipts, hash), value: encodeReceipts(receipts) },
    ]);
  }

  /**
   * Makes `entries` (number, hash, the block's tx hashes) canonical, drops canonical entries from `dropFrom` up to
   * `dropTo` (a reorg to a shorter chain) and moves the head, in one batch.
   */
  async setCanonical(change: {
    entries: Array<{ number: bigint; hash: Uint8Array; txHashes: Uint8Array[] }>;
    drop: bigint[];
    head: Uint8Array;
    meta?: Partial<Record<'finalized' | 'genesis' | 'safe', Uint8Array>>;
  }): Promise<void> {
    const ops: KvOp[] = [];
    for (const n of change.drop) ops.push({ type: 'del', key: numberKey(n) });
    for (const entry of change.entries) {
      ops.push({ type: 'put', key: numberKey(entry.number), value: entry.hash });
      entry.txHashes.forEach((txHash, index) => {
        const value = RLP.encode([entry.hash, bigIntToUnpaddedBytes(BigInt(index))]);
        ops.push({ type: 'put', key: tableKey(TABLE.tx, txHash), value });
      });
    }
    ops.push({ type: 'put', key: metaKey('head'), value: change.head });
    for (const [name, value] of Object.entries(change.meta ?? {})) {
      if (value) ops.push({ type: 'put', key: metaKey(name as 'finalized'), value });
    }
    await this.kv.batch(ops);
  }

  async putMeta(name: 'finalized' | 'safe', value: Uint8Array): Promise<void> {
    await this.kv.batch([{ type: 'put', key: metaKey(name), value }]);
  }

  close(): Promise<void> {
    return this.kv.close();
  }
}
