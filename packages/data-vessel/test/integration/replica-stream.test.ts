/**
 * A storage node streams a replica from a holder over `/aic/data-chunk` straight into its Helia content store
 * (issue 12): at most one session window of fetched chunks waits for the store at any time, the deal commitment
 * computed from the stored blocks is the whole-blob one, nothing is served before the replica is committed, and a
 * dropped replica's blocks leave the store (a refused one's too) unless the node's own dataset still uses them.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import {
  type ContentStore,
  fetchReplicaChunks,
  manifestFileBytes,
  openContentStore,
  openDatasetReplicaStore,
  rawCid,
  replicaBlob,
  replicaCommitment,
  replicaLayout,
  sealedChunkStore,
  serveDataset,
  splitSegments,
} from '../../src/index.ts';
import { addressOf, gate, multiChunkDataset, nodeStarter } from '../helpers/exchange-fixtures.ts';

const nodes = nodeStarter();
const cleanups: (() => Promise<unknown>)[] = [];
afterAll(async () => {
  await nodes.stopAll();
  for (const cleanup of cleanups) await cleanup();
});

async function contentStore(): Promise<ContentStore> {
  const dir = await mkdtemp(join(tmpdir(), 'aic-replica-stream-'));
  const store = await openContentStore(join(dir, 'content'));
  cleanups.push(async () => {
    await store.stop();
    await rm(dir, { recursive: true, force: true });
  });
  return store;
}

// 240 rows of 16 KiB in shards of 40 rows: 6 shards of 3 sealed chunks, 18 chunks, more than a session window.
const dataset = multiChunkDataset(240, 40);
const manifestBytes = manifestFileBytes(dataset.manifest);
const replica = { datasetId: 5n, manifestBytes, manifest: dataset.manifest };
const WINDOW = 8; // replica-fetch's SESSION_WINDOW

describe('a replica streamed into the content store', () => {
  it('holds at most a window of chunks outside the store, commits to the whole blob, and deletes on drop', async () => {
    const [holder, storage] = await Promise.all([nodes.start(), nodes.start()]);
    await serveDataset(holder, sealedChunkStore(dataset.manifest, dataset.sealed));
    const content = await contentStore();
    const ownChunk = rawCid(dataset.sealed[0]?.[0] as Uint8Array); // the node's own dataset shares this block
    const replicas = openDatasetReplicaStore({
      dir: join(await mkdtemp(join(tmpdir(), 'aic-replica-records-')), 'replicas'),
      content,
      heldElsewhere: () => [ownChunk],
    });
    const total = replicaLayout(dataset.manifest).chunks.length;
    expect(total).toBeGreaterThan(WINDOW);

    // The store is held shut until a full window waits on it: a fetch that kept reading ahead would exceed it.
    let waiting = 0;
    let most = 0;
    const windowFull = gate();
    const staged = await replicas.stageReplica(replica, (sink) =>
      fetchReplicaChunks(storage, dataset.manifest, [addressOf(holder)], async (chunk, flat, sealed) => {
        waiting++;
        most = Math.max(most, waiting);
        if (waiting >= Math.min(WINDOW, total)) windowFull.open();
        await windowFull.opened;
        await sink(chunk, flat, sealed);
        waiting--;
      }),
    );
    expect(most).toBe(WINDOW);
    const blob = replicaBlob(dataset.manifest, dataset.sealed);
    expect(staged.commitment).toEqual(replicaCommitment(dataset.manifest, dataset.sealed));
    const cids = dataset.sealed.flat().map((c) => rawCid(c));
    for (const cid of cids) expect(await content.has(cid)).toBe(true);
    // staged, not held: nothing is listed or served yet
    expect(await replicas.list()).toEqual([]);
    expect(await replicas.served.get(dataset.manifest.shards[2]?.root as `0x${string}`, 1)).toBeUndefined();

    await staged.commit();
    expect(await replicas.served.get(dataset.manifest.shards[2]?.root as `0x${string}`, 1)).toEqual(
      dataset.sealed[2]?.[1],
    );
    const segments = splitSegments(blob);
    const root = staged.commitment.segmentRoot;
    for (const i of [0, 63, 64, segments.length - 1]) expect(await replicas.get(root, i)).toEqual(segments[i]);

    // the deal ends: the replica goes, its blocks with it, but the block the node's own dataset uses
    await replicas.remove(root);
    expect(await replicas.list()).toEqual([]);
    for (const cid of cids) expect(await content.has(cid)).toBe(cid === ownChunk);
    expect(await content.has(rawCid(manifestBytes))).toBe(false);
  });

  it('deletes what it stored of a replica that could not be completed (the only holder has half of it)', async () => {
    const [holder, storage] = await Promise.all([nodes.start(), nodes.start()]);
    // this holder lost shards 3 to 5
    const half = dataset.sealed.map((chunks, i) => (i < 3 ? chunks : []));
    await serveDataset(holder, sealedChunkStore(dataset.manifest, half));
    const content = await contentStore();
    const replicas = openDatasetReplicaStore({
      dir: join(await mkdtemp(join(tmpdir(), 'aic-replica-records-')), 'replicas'),
      content,
    });
    const stored: string[] = [];
    const staging = replicas.stageReplica(replica, (sink) =>
      fetchReplicaChunks(storage, dataset.manifest, [addressOf(holder)], async (chunk, flat, sealed) => {
        await sink(chunk, flat, sealed);
        stored.push(rawCid(sealed));
      }),
    );
    await expect(staging).rejects.toMatchObject({ code: 'STORAGE_REPLICA_UNAVAILABLE' });
    expect(stored.length).toBeGreaterThan(0);
    for (const cid of stored) expect(await content.has(cid)).toBe(false);
    expect(await replicas.list()).toEqual([]);
  });
});
