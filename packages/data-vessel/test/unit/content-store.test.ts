import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import {
  type ContentStore,
  checkChunkCids,
  decryptShard,
  generateDatasetKey,
  heldChunkIndex,
  openContentStore,
  rawCid,
  storeDataset,
} from '../../src/index.ts';
import { tinyDataset } from '../helpers/tiny-dataset.ts';

const dirs: string[] = [];
const stores: ContentStore[] = [];
async function open(dir?: string) {
  const at = dir ?? (await mkdtemp(join(tmpdir(), 'aic-content-')));
  if (!dir) dirs.push(at);
  const store = await openContentStore(at);
  stores.push(store);
  return { store, dir: at };
}

afterEach(async () => {
  for (const store of stores.splice(0)) await store.stop().catch(() => undefined);
  for (const dir of dirs.splice(0)) await rm(dir, { recursive: true, force: true });
});

describe('content store (Helia light, on disk, offline)', () => {
  it('stores bytes under their raw CID, survives a reopen and deletes', async () => {
    const { store, dir } = await open();
    const bytes = new TextEncoder().encode('manifest bytes');
    const cid = await store.put(bytes);
    expect(cid).toBe(rawCid(bytes));
    expect(await store.put(bytes)).toBe(cid); // idempotent
    expect(await store.get(cid)).toEqual(bytes);
    await store.stop();
    stores.pop();
    const again = await open(dir);
    expect(await again.store.has(cid)).toBe(true);
    await again.store.delete(cid);
    expect(await again.store.get(cid)).toBeUndefined();
  });

  it('answers undefined for a CID it does not hold and refuses a malformed one', async () => {
    const { store } = await open();
    expect(await store.get(rawCid(new Uint8Array([1])))).toBeUndefined();
    await expect(store.get('not-a-cid')).rejects.toMatchObject({ code: 'DATA_CONTENT_CID_INVALID' });
  });

  it('holds a dataset as sealed chunks and serves them by shard root', async () => {
    const { store } = await open();
    const dataset = tinyDataset(40, 8);
    const key = generateDatasetKey();
    const held = await storeDataset(store, dataset, key);
    expect(held.datasetRoot).toBe(dataset.manifest.datasetRoot);
    expect(held.chunkCids).toHaveLength(dataset.shards.length);
    checkChunkCids(dataset.manifest, held.chunkCids);
    expect(() => checkChunkCids(dataset.manifest, held.chunkCids.slice(1))).toThrow(/chunk list/);
    const index = heldChunkIndex(store);
    index.add(held);
    for (const [i, shard] of dataset.manifest.shards.entries()) {
      const sealed = [await index.get(shard.root as `0x${string}`, 0)] as Uint8Array[];
      expect(decryptShard(key, held.datasetRoot, i, sealed)).toEqual(dataset.shards[i]);
    }
    expect(await index.get(`0x${'0'.repeat(64)}`, 0)).toBeUndefined();
    // Nothing in the store is plaintext shard bytes.
    for (const shard of dataset.shards) expect(await store.has(rawCid(shard))).toBe(false);
  });
});
