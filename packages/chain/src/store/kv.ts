/**
 * The key-value store under the chain: `level` on disk (one LevelDB directory per node), or a Map for unit tests.
 * Everything the chain persists goes through this narrow interface, so a test can swap the disk out.
 */
import { Level } from 'level';
import { ChainError } from '../errors.ts';

export type KvOp = { type: 'put'; key: Uint8Array; value: Uint8Array } | { type: 'del'; key: Uint8Array };

export interface KvStore {
  get(key: Uint8Array): Promise<Uint8Array | undefined>;
  /** Applies every operation atomically (LevelDB write batch). */
  batch(ops: KvOp[]): Promise<void>;
  /** True when the store holds nothing (a fresh directory). */
  isEmpty(): Promise<boolean>;
  close(): Promise<void>;
}

/** Opens (creating if needed) the LevelDB at `dir`; a locked or unreadable DB raises CHAIN_STORE_CORRUPT. */
export async function openLevelKv(dir: string): Promise<KvStore> {
  const db = new Level<Uint8Array, Uint8Array>(dir, { keyEncoding: 'view', valueEncoding: 'view' });
  try {
    await db.open();
  } catch (cause) {
    throw new ChainError('CHAIN_STORE_CORRUPT', `cannot open the chain database at ${dir}`, {
      cause,
      details: { dir },
    });
  }
  const ensureOpen = (): void => {
    if (db.status !== 'open') throw new ChainError('CHAIN_STORE_CLOSED', 'the chain database is closed');
  };
  return {
    async get(key) {
      ensureOpen();
      return db.get(key);
    },
    async batch(ops) {
      ensureOpen();
      if (ops.length > 0) await db.batch(ops);
    },
    async isEmpty() {
      ensureOpen();
      for await (const _ of db.keys({ limit: 1 })) return false;
      return true;
    },
    async close() {
      if (db.status === 'open') await db.close();
    },
  };
}

/** An in-memory store (unit tests, benches that measure execution without the disk). */
export function createMemoryKv(): KvStore {
  const map = new Map<string, Uint8Array>();
  const hex = (key: Uint8Array): string => Buffer.from(key).toString('hex');
  let closed = false;
  const ensureOpen = (): void => {
    if (closed) throw new ChainError('CHAIN_STORE_CLOSED', 'the chain database is closed');
  };
  return {
    async get(key) {
      ensureOpen();
      return map.get(hex(key));
    },
    async batch(ops) {
      ensureOpen();
      for (const op of ops) {
        if (op.type === 'put') map.set(hex(op.key), op.value);
        else map.delete(hex(op.key));
      }
    },
    async isEmpty() {
      return map.size === 0;
    },
    async close() {
      closed = true;
    },
  };
}
