/**
 * The chain's persisted records and their byte encodings (RLP): a receipt per transaction with what JSON-RPC serves
 * (sender, status, gas, created contract, logs), and the keys of the store's tables.
 */
import { RLP } from '@ethereumjs/rlp';
import { bigIntToUnpaddedBytes, bytesToBigInt } from '@ethereumjs/util';
import { ChainError } from '../errors.ts';

export interface StoredLog {
  address: Uint8Array;
  topics: Uint8Array[];
  data: Uint8Array;
}

export interface StoredReceipt {
  from: Uint8Array;
  /** 1 success, 0 reverted. */
  status: 0 | 1;
  cumulativeGasUsed: bigint;
  gasUsed: bigint;
  effectiveGasPrice: bigint;
  /** Empty unless the transaction created a contract. */
  contractAddress: Uint8Array;
  logs: StoredLog[];
}

export function encodeReceipts(receipts: StoredReceipt[]): Uint8Array {
  return RLP.encode(
    receipts.map((r) => [
      r.from,
      bigIntToUnpaddedBytes(BigInt(r.status)),
      bigIntToUnpaddedBytes(r.cumulativeGasUsed),
      bigIntToUnpaddedBytes(r.gasUsed),
      bigIntToUnpaddedBytes(r.effectiveGasPrice),
      r.contractAddress,
      r.logs.map((l) => [l.address, l.topics, l.data]),
    ]),
  );
}

export function decodeReceipts(bytes: Uint8Array): StoredReceipt[] {
  try {
    const list = RLP.decode(bytes) as unknown as Uint8Array[][];
    return list.map((item) => {
      const [from, status, cumulative, gasUsed, price, created, logs] = item as unknown as [
        Uint8Array,
        Uint8Array,
        Uint8Array,
        Uint8Array,
        Uint8Array,
        Uint8Array,
        [Uint8Array, Uint8Array[], Uint8Array][],
      ];
      return {
        from,
        status: bytesToBigInt(status) === 1n ? 1 : 0,
        cumulativeGasUsed: bytesToBigInt(cumulative),
        gasUsed: bytesToBigInt(gasUsed),
        effectiveGasPrice: bytesToBigInt(price),
        contractAddress: created,
        logs: logs.map(([address, topics, data]) => ({ address, topics, data })),
      };
    });
  } catch (cause) {
    throw new ChainError('CHAIN_STORE_CORRUPT', 'a stored receipt list does not decode', { cause });
  }
}

/** Table prefixes: one byte each, then the record's key. */
export const TABLE = {
  block: 0x62, // 'b' + hash → encodePovBlock
  receipts: 0x72, // 'r' + hash → encodeReceipts
  canonical: 0x6e, // 'n' + u64 number → hash
  tx: 0x74, // 't' + tx hash → RLP([block hash, index])
  meta: 0x6d, // 'm' + name → value
} as const;

export function tableKey(table: number, key: Uint8Array): Uint8Array {
  const out = new Uint8Array(key.length + 1);
  out[0] = table;
  out.set(key, 1);
  return out;
}

export function numberKey(n: bigint): Uint8Array {
  const out = new Uint8Array(9);
  out[0] = TABLE.canonical;
  new DataView(out.buffer).setBigUint64(1, n);
  return out;
}

export function metaKey(name: 'head' | 'finalized' | 'genesis' | 'safe'): Uint8Array {
  return tableKey(TABLE.meta, new TextEncoder().encode(name));
}
