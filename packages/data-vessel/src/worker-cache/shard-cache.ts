import { mkdir, readdir, readFile, rename, rm, stat, utimes, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { AicError } from '@aic/core';
import { type Hex, shardRoot } from '../commitments/index.ts';

/** Where the cache lives and how big it may grow. */
export interface ShardCacheInit {
  readonly dir: string;
  readonly maxBytes: number;
}

/** A bounded on-disk LRU of verified shards, keyed by shard root. */
export interface ShardCache {
  /** The shard, re-verified against its root, or undefined (a miss; a corrupt file counts as a miss and is dropped). */
  get(root: Hex): Promise<Uint8Array | undefined>;
  /** Stores a shard whose bytes hash to `root` (else DATA_SHARD_ROOT_MISMATCH), evicting least recently used ones. */
  put(root: Hex, bytes: Uint8Array): Promise<void>;
  /**
   * Stores a shard the caller has already checked against `root` (fetchDataset: every chunk's leaf computed over
   * exactly the bytes of the shard, then the Merkle root over those leaves), without hashing it a second time.
   */
  putVerified(root: Hex, bytes: Uint8Array): Promise<void>;
  has(root: Hex): boolean;
  /** Bytes held on disk now. */
  sizeBytes(): number;
}

const HEX_ROOT = /^0x[0-9a-f]{64}$/;
const fileOf = (dir: string, root: Hex) => join(dir, `${root.slice(2)}.shard`);

/** Rebuilds the LRU order from the files on disk (modification time = last use), so the cache survives restarts. */
async function scan(dir: string): Promise<Map<Hex, number>> {
  const found: { root: Hex; bytes: number; usedMs: number }[] = [];
  for (const name of await readdir(dir)) {
    const root = `0x${name.slice(0, -'.shard'.length)}` as Hex;
    if (!name.endsWith('.shard') || !HEX_ROOT.test(root)) continue;
    const info = await stat(join(dir, name));
    found.push({ root, bytes: info.size, usedMs: info.mtimeMs });
  }
  found.sort((a, b) => a.usedMs - b.usedMs);
  return new Map(found.map((f) => [f.root, f.bytes]));
}

/**
 * Opens (or creates) a shard cache in `dir`. Entries are files named by shard root; a Map in insertion order is the
 * LRU list (oldest first). Shards larger than `maxBytes` are not kept.
 *
 * @example
 * const cache = await createShardCache({ dir: join(dataDir, 'shards'), maxBytes: 10 * 2 ** 30 });
 */
export async function createShardCache(init: ShardCacheInit): Promise<ShardCache> {
  await mkdir(init.dir, { recursive: true });
  const entries = await scan(init.dir);
  let total = [...entries.values()].reduce((a, n) => a + n, 0);
  const drop = async (root: Hex) => {
    total -= entries.get(root) ?? 0;
    entries.delete(root);
    await rm(fileOf(init.dir, root), { force: true });
  };
  const touch = async (root: Hex, bytes: number) => {
    entries.delete(root);
    entries.set(root, bytes);
    const now = new Date();
    await utimes(fileOf(init.dir, root), now, now).catch(() => undefined);
  };
  /** Writes a checked shard (atomically: temp file, then rename), evicting least recently used ones first. */
  const store = async (root: Hex, bytes: Uint8Array): Promise<void> => {
    if (entries.has(root) || bytes.length > init.maxBytes) return;
    while (total + bytes.length > init.maxBytes && entries.size > 0) await drop(entries.keys().next().value as Hex);
    const temp = `${fileOf(init.dir, root)}.tmp`;
    await writeFile(temp, bytes);
    await rename(temp, fileOf(init.dir, root));
    entries.set(root, bytes.length);
    total += bytes.length;
  };
  return {
    has: (root) => entries.has(root),
    sizeBytes: () => total,
    async get(root) {
      if (!entries.has(root)) return undefined;
      const bytes = await readFile(fileOf(init.dir, root)).catch(() => undefined);
      if (!bytes || shardRoot(bytes) !== root) {
        await drop(root);
        return undefined;
      }
      await touch(root, bytes.length);
      return new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.length);
    },
    async put(root, bytes) {
      if (shardRoot(bytes) !== root) {
        throw new AicError('DATA_SHARD_ROOT_MISMATCH', 'refusing to cache a shard that does not match its root');
      }
      await store(root, bytes);
    },
    putVerified: store,
  };
}
