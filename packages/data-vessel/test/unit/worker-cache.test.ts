import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  CHUNK_SIZE_BYTES,
  type ChunkSource,
  chunkAt,
  chunkProof,
  createShardCache,
  type Hex,
  loadShard,
  shardChunkLeaves,
  shardRoot,
} from '../../src/index.ts';

function shardOf(byteLength: number, seed: number): { root: Hex; byteLength: number; bytes: Uint8Array } {
  const bytes = Uint8Array.from({ length: byteLength }, (_, i) => (i * 31 + seed * 7) & 0xff);
  return { root: shardRoot(bytes), byteLength, bytes };
}

/** A holder serving `bytes`, counting what it sends; `corrupt` flips a byte of the listed chunks. */
function holder(bytes: Uint8Array, corrupt: readonly number[] = []) {
  const leaves = shardChunkLeaves(bytes);
  const served = { bytes: 0, calls: 0 };
  const source: ChunkSource = async (_root, index) => {
    const chunk = chunkAt(bytes, index).slice();
    if (corrupt.includes(index)) chunk[0] = (chunk[0] as number) ^ 1;
    served.bytes += chunk.length;
    served.calls++;
    return { bytes: chunk, proof: chunkProof(leaves, index) };
  };
  return { source, served };
}

describe('worker shard cache', () => {
  let dir = '';
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'aic-cache-'));
  });
  afterEach(async () => rm(dir, { recursive: true, force: true }));

  it('fetches a shard once; the repeated job moves 0 bytes', async () => {
    const shard = shardOf(CHUNK_SIZE_BYTES + 777, 1);
    const cache = await createShardCache({ dir, maxBytes: 10 * CHUNK_SIZE_BYTES });
    const { source, served } = holder(shard.bytes);
    const first = await loadShard(shard, cache, [source]);
    expect(first).toMatchObject({ fromCache: false, bytesFetched: shard.byteLength });
    expect(Buffer.from(first.bytes).equals(Buffer.from(shard.bytes))).toBe(true);
    const second = await loadShard(shard, cache, [source]);
    expect(second).toMatchObject({ fromCache: true, bytesFetched: 0 });
    expect(served.bytes).toBe(shard.byteLength); // nothing more was requested
    const reopened = await createShardCache({ dir, maxBytes: 10 * CHUNK_SIZE_BYTES });
    expect((await loadShard(shard, reopened, [source])).fromCache).toBe(true); // survives a restart
    expect(served.calls).toBe(2);
  });

  it('rejects a tampered chunk and fetches it again from another holder', async () => {
    const shard = shardOf(2 * CHUNK_SIZE_BYTES + 10, 2);
    const cache = await createShardCache({ dir, maxBytes: 10 * CHUNK_SIZE_BYTES });
    const liar = holder(shard.bytes, [1]);
    const honest = holder(shard.bytes);
    const loaded = await loadShard(shard, cache, [liar.source, honest.source]);
    expect(loaded.rejectedChunks).toBe(1);
    expect(honest.served.calls).toBe(1);
    expect(shardRoot(loaded.bytes)).toBe(shard.root);
    const fresh = shardOf(100, 3);
    const empty = await createShardCache({ dir: join(dir, 'other'), maxBytes: 1000 });
    await expect(loadShard(fresh, empty, [holder(fresh.bytes, [0]).source])).rejects.toMatchObject({
      code: 'DATA_CHUNK_UNAVAILABLE',
    });
    expect(empty.has(fresh.root)).toBe(false);
  });

  it('keeps at most `concurrency` chunk requests in flight', async () => {
    const shard = shardOf(6 * CHUNK_SIZE_BYTES + 1, 11);
    const cache = await createShardCache({ dir, maxBytes: 10 * CHUNK_SIZE_BYTES });
    const { source } = holder(shard.bytes);
    let inFlight = 0;
    let peak = 0;
    const tracked: ChunkSource = async (root, index) => {
      peak = Math.max(peak, ++inFlight);
      await Promise.resolve(); // let the other workers start before answering
      const answer = await source(root, index);
      inFlight--;
      return answer;
    };
    const loaded = await loadShard(shard, cache, [tracked], 3);
    expect(peak).toBe(3);
    expect(shardRoot(loaded.bytes)).toBe(shard.root);
  });

  it('checks proofless chunks with the whole shard root', async () => {
    const shard = shardOf(CHUNK_SIZE_BYTES + 5, 10);
    const cache = await createShardCache({ dir, maxBytes: 10 * CHUNK_SIZE_BYTES });
    const { source } = holder(shard.bytes, [1]);
    const proofless: ChunkSource = async (root, index) => ({ bytes: (await source(root, index)).bytes });
    await expect(loadShard(shard, cache, [proofless])).rejects.toMatchObject({ code: 'DATA_SHARD_ROOT_MISMATCH' });
    expect(cache.has(shard.root)).toBe(false);
    const honest = holder(shard.bytes).source;
    const fine: ChunkSource = async (root, index) => ({ bytes: (await honest(root, index)).bytes });
    expect((await loadShard(shard, cache, [fine])).fromCache).toBe(false);
    expect(cache.has(shard.root)).toBe(true);
  });

  it('evicts the least recently used shard when full', async () => {
    const [a, b, c] = [shardOf(1000, 4), shardOf(1000, 5), shardOf(1000, 6)];
    const cache = await createShardCache({ dir, maxBytes: 2500 });
    await cache.put(a.root, a.bytes);
    await cache.put(b.root, b.bytes);
    expect(await cache.get(a.root)).toBeDefined(); // a is now the most recently used
    await cache.put(c.root, c.bytes);
    expect([cache.has(a.root), cache.has(b.root), cache.has(c.root)]).toEqual([true, false, true]);
    expect(cache.sizeBytes()).toBe(2000);
    await cache.put(shardOf(3000, 7).root, shardOf(3000, 7).bytes); // larger than the cache: not kept
    expect(cache.sizeBytes()).toBe(2000);
  });

  it('refuses unverified bytes and drops a file corrupted on disk', async () => {
    const a = shardOf(1000, 8);
    const cache = await createShardCache({ dir, maxBytes: 5000 });
    await expect(cache.put(a.root, shardOf(1000, 9).bytes)).rejects.toMatchObject({ code: 'DATA_SHARD_ROOT_MISMATCH' });
    await cache.put(a.root, a.bytes);
    await writeFile(join(dir, `${a.root.slice(2)}.shard`), shardOf(1000, 9).bytes);
    expect(await cache.get(a.root)).toBeUndefined();
    expect(cache.has(a.root)).toBe(false);
    expect(cache.sizeBytes()).toBe(0);
  });
});
