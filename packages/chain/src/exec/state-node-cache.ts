/**
 * The executing state's node store: an in-memory layer over the chain's trie database, shared by the account trie
 * and every storage trie (EthereumJS gives storage tries no cache at all: each ERC-20 balance read or write walked
 * the token's storage trie in LevelDB, and each trie `put` was its own LevelDB batch). Writes of a block stay in
 * memory until `persist()` writes them as one batch; the executor persists at the end of every build and import,
 * before the block itself is stored, so a stored block's state is always on disk.
 *
 * Trie nodes are content-addressed and never pruned (the trie is opened without node pruning), so a cached node can
 * never go stale: the clean part is a bounded LRU, the dirty part is bounded by one block's writes.
 */
import type { BatchDBOp, DB } from '@ethereumjs/util';

export class StateNodeCache implements DB<string, Uint8Array> {
  private readonly clean = new Map<string, Uint8Array>();
  /** Written since the last persist (undefined = deleted). */
  private dirty = new Map<string, Uint8Array | undefined>();

  constructor(
    private readonly inner: DB<string, Uint8Array>,
    private readonly maxCleanNodes: number,
  ) {}

  async get(key: string): Promise<Uint8Array | undefined> {
    if (this.dirty.has(key)) return this.dirty.get(key);
    const hit = this.clean.get(key);
    if (hit !== undefined) {
      // Refresh its place in the LRU order.
      this.clean.delete(key);
      this.clean.set(key, hit);
      return hit;
    }
    const value = await this.inner.get(key);
    if (value !== undefined) this.remember(key, value);
    return value;
  }

  async put(key: string, value: Uint8Array): Promise<void> {
    this.dirty.set(key, value);
  }

  async del(key: string): Promise<void> {
    this.dirty.set(key, undefined);
    this.clean.delete(key);
  }

  async batch(ops: BatchDBOp<string, Uint8Array>[]): Promise<void> {
    for (const op of ops) {
      if (op.type === 'put') this.dirty.set(op.key, op.value);
      else {
        this.dirty.set(op.key, undefined);
        this.clean.delete(op.key);
      }
    }
  }

  /** Storage tries are shallow copies of the account trie: they share this cache. */
  shallowCopy(): DB<string, Uint8Array> {
    return this;
  }

  async open(): Promise<void> {}

  /** Nodes written since the last persist (for tests and figures). */
  get dirtyCount(): number {
    return this.dirty.size;
  }

  /** Writes every node written since the last persist to the database in one batch. */
  async persist(): Promise<void> {
    if (this.dirty.size === 0) return;
    const dirty = this.dirty;
    this.dirty = new Map();
    const ops: BatchDBOp<string, Uint8Array>[] = [];
    for (const [key, value] of dirty) {
      ops.push(value === undefined ? { type: 'del', key } : { type: 'put', key, value });
    }
    try {
      await this.inner.batch(ops);
    } catch (error) {
      // Keep them for the next persist (entries written meanwhile win).
      for (const [key, value] of dirty) if (!this.dirty.has(key)) this.dirty.set(key, value);
      throw error;
    }
    for (const [key, value] of dirty) if (value !== undefined) this.remember(key, value);
  }

  private remember(key: string, value: Uint8Array): void {
    this.clean.set(key, value);
    if (this.clean.size > this.maxCleanNodes) {
      const oldest = this.clean.keys().next().value;
      if (oldest !== undefined) this.clean.delete(oldest);
    }
  }
}
