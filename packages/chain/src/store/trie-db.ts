/**
 * EthereumJS's `DB` interface over the chain's key-value store, for the state trie (account/storage nodes, code).
 * The trie hands unprefixed hex keys; they are stored as bytes under the prefix `s`. Nodes are never pruned, so the
 * state of every imported block stays readable by its root (cheap reorgs, historical eth_call/eth_getBalance).
 */
import type { BatchDBOp, DB } from '@ethereumjs/util';
import type { KvOp, KvStore } from './kv.ts';

const PREFIX = 0x73; // 's'

function keyBytes(key: string | Uint8Array): Uint8Array {
  const raw = typeof key === 'string' ? Buffer.from(key.startsWith('0x') ? key.slice(2) : key, 'hex') : key;
  const out = new Uint8Array(raw.length + 1);
  out[0] = PREFIX;
  out.set(raw, 1);
  return out;
}

function valueBytes(value: unknown): Uint8Array {
  if (value instanceof Uint8Array) return value;
  // The trie is opened with ValueEncoding.Bytes; a string here would be a programming error upstream.
  return new TextEncoder().encode(String(value));
}

/** A `DB<string, Uint8Array>` for `createMPT({ db, valueEncoding: ValueEncoding.Bytes })`. */
export class TrieDb implements DB<string, Uint8Array> {
  constructor(private readonly kv: KvStore) {}

  async get(key: string): Promise<Uint8Array | undefined> {
    return this.kv.get(keyBytes(key));
  }

  async put(key: string, value: Uint8Array): Promise<void> {
    await this.kv.batch([{ type: 'put', key: keyBytes(key), value: valueBytes(value) }]);
  }

  async del(key: string): Promise<void> {
    await this.kv.batch([{ type: 'del', key: keyBytes(key) }]);
  }

  async batch(ops: BatchDBOp<string, Uint8Array>[]): Promise<void> {
    const converted: KvOp[] = ops.map((op) =>
      op.type === 'put'
        ? { type: 'put', key: keyBytes(op.key), value: valueBytes(op.value) }
        : { type: 'del', key: keyBytes(op.key) },
    );
    await this.kv.batch(converted);
  }

  shallowCopy(): DB<string, Uint8Array> {
    return new TrieDb(this.kv);
  }

  async open(): Promise<void> {}
}
