/**
 * Dataset replicas over a content store: the blob a deal commits to is the sealed chunks back to back, a challenged
 * segment is cut from the one or two chunks it spans, and the same store serves chunks by shard root to workers and
 * segments by segment root to a repair.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import {
  type ContentBlocks,
  commitBlob,
  encryptShard,
  generateDatasetKey,
  manifestFileBytes,
  openDatasetReplicaStore,
  rawCid,
  replicaBlob,
  replicaCommitment,
  replicaCommitmentOf,
  replicaLayout,
  STORAGE_SEGMENT_BYTES,
  splitSegments,
} from '../../src/index.ts';
import { tinyDataset } from '../helpers/tiny-dataset.ts';

function memoryContent(): ContentBlocks & { blocks: Map<string, Uint8Array> } {
  const blocks = new Map<string, Uint8Array>();
  return {
    blocks,
    put: async (bytes) => {
      const cid = rawCid(bytes);
      blocks.set(cid, Uint8Array.from(bytes));
      return cid;
    },
    get: async (cid) => blocks.get(cid),
    delete: async (cid) => void blocks.delete(cid),
  };
}

const dirs: string[] = [];
afterAll(async () => Promise.all(dirs.map((d) => rm(d, { recursive: true, force: true }))));

describe('dataset replicas in a content store', () => {
  // ~1,100 rows of 3 floats + a label: shards of a few KiB, so segments straddle chunk boundaries.
  const dataset = tinyDataset(1100, 400);
  const key = generateDatasetKey();
  const sealed = dataset.shards.map((shard, i) => encryptShard(key, dataset.manifest.datasetRoot, i, shard));
  const manifestBytes = manifestFileBytes(dataset.manifest);

  it('commits to the sealed chunks back to back, with lengths the manifest implies', () => {
    const layout = replicaLayout(dataset.manifest);
    const blob = replicaBlob(dataset.manifest, sealed);
    expect(blob.length).toBe(layout.sizeBytes);
    expect(Buffer.from(blob.subarray(0, sealed[0]?.[0]?.length))).toEqual(Buffer.from(sealed[0]?.[0] ?? []));
    const truncated = sealed.map((s) => s.map((c) => c));
    truncated[1]![0] = truncated[1]![0]!.subarray(1);
    expect(() => replicaBlob(dataset.manifest, truncated)).toThrowError(
      expect.objectContaining({ code: 'STORAGE_REPLICA_CORRUPT' }),
    );
  });

  it('answers segments, leaves and chunks from the stored blocks, and survives a reopen', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'aic-replicas-'));
    dirs.push(dir);
    const content = memoryContent();
    const store = openDatasetReplicaStore({ dir, content });
    const commitment = await store.putReplica({ datasetId: 7n, manifestBytes, manifest: dataset.manifest, sealed });
    expect(commitment).toEqual(replicaCommitment(dataset.manifest, sealed));
    const blob = replicaBlob(dataset.manifest, sealed);
    const segments = splitSegments(blob);
    expect(segments.length).toBeGreaterThan(2);
    const reopened = openDatasetReplicaStore({ dir, content });
    for (const s of [reopened, store]) {
      for (const [i, segment] of segments.entries()) expect(await s.get(commitment.segmentRoot, i)).toEqual(segment);
      expect(await s.get(commitment.segmentRoot, segments.length)).toBeUndefined();
      expect(await s.read(commitment.segmentRoot, commitment.segmentCount)).toEqual(blob);
      expect(await s.has(commitment.segmentRoot, commitment.segmentCount)).toBe(true);
      // a shard root names sealed chunks, a segment root names 4 KiB segments
      const shard1 = dataset.manifest.shards[1]?.root as `0x${string}`;
      expect(await s.served.get(shard1, 0)).toEqual(sealed[1]?.[0]);
      expect(await s.served.get(commitment.segmentRoot, 1)).toEqual(segments[1]);
      expect(await s.served.get('../etc' as `0x${string}`, 0)).toBeUndefined();
      expect(await s.manifestOf(7n)).toEqual(manifestBytes);
      const held = await s.datasetOf(7n);
      expect(held?.manifestBytes).toEqual(manifestBytes);
      expect(await held?.chunk(1, 0)).toEqual(sealed[1]?.[0]);
      expect(await held?.chunk(1, 99)).toBeUndefined();
      expect(await replicaCommitmentOf(dataset.manifest, held!.chunk)).toEqual(commitment);
    }
    expect(STORAGE_SEGMENT_BYTES).toBe(4096);
    // a damaged leaves file is rebuilt from the chunks
    await writeFile(join(dir, `${commitment.segmentRoot}.leaves`), new Uint8Array(32));
    expect(commitBlob(blob).segmentRoot).toBe(commitment.segmentRoot);
    expect((await reopened.leaves(commitment.segmentRoot, commitment.segmentCount)).length).toBe(
      commitment.segmentCount,
    );
    // a lost block makes the replica incomplete (a challenge on it would find it missing)
    const [firstCid] = content.blocks.keys();
    content.blocks.delete(firstCid as string);
    expect(await store.has(commitment.segmentRoot, commitment.segmentCount)).toBe(false);
    expect(await store.get(commitment.segmentRoot, 0)).toBeUndefined();
    await store.remove(commitment.segmentRoot);
    expect(await store.list()).toEqual([]);
    expect(await openDatasetReplicaStore({ dir, content }).list()).toEqual([]);
    expect(content.blocks.size).toBe(0); // a dropped replica's blocks leave the store with it
  });

  const chunkCids = () => sealed.flat().map((c) => rawCid(c));

  it('streams chunks in any order into blocks, serves nothing until committed, and discards what it put', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'aic-replicas-'));
    dirs.push(dir);
    const content = memoryContent();
    const store = openDatasetReplicaStore({ dir, content });
    const layout = replicaLayout(dataset.manifest);
    const flat = sealed.flat();
    const order = layout.chunks.map((_, i) => i).reverse(); // last chunk first: leaves still come out in blob order
    const staged = await store.stageReplica(
      { datasetId: 7n, manifestBytes, manifest: dataset.manifest },
      async (sink) => {
        for (const i of order) await sink(layout.chunks[i]!, i, flat[i]!);
      },
    );
    expect(staged.commitment).toEqual(replicaCommitment(dataset.manifest, sealed));
    for (const cid of chunkCids()) expect(content.blocks.has(cid)).toBe(true);
    expect(await store.list()).toEqual([]);
    expect(await store.served.get(dataset.manifest.shards[0]!.root as `0x${string}`, 0)).toBeUndefined();
    await staged.discard();
    expect(content.blocks.size).toBe(0);

    // a fill that fails half way (a holder gone) leaves no block behind
    const failing = store.stageReplica({ datasetId: 7n, manifestBytes, manifest: dataset.manifest }, async (sink) => {
      await sink(layout.chunks[0]!, 0, flat[0]!);
      throw new Error('holder gone');
    });
    await expect(failing).rejects.toThrow('holder gone');
    expect(content.blocks.size).toBe(0);

    // a chunk of the wrong length, or one never handed over, is refused (and cleaned up)
    const short = store.stageReplica({ datasetId: 7n, manifestBytes, manifest: dataset.manifest }, async (sink) => {
      await sink(layout.chunks[0]!, 0, flat[0]!.subarray(1));
    });
    await expect(short).rejects.toMatchObject({ code: 'STORAGE_REPLICA_CORRUPT' });
    const partial = store.stageReplica({ datasetId: 7n, manifestBytes, manifest: dataset.manifest }, async (sink) => {
      await sink(layout.chunks[0]!, 0, flat[0]!);
    });
    await expect(partial).rejects.toMatchObject({ code: 'STORAGE_REPLICA_CORRUPT' });
    expect(content.blocks.size).toBe(0);
  });

  it('keeps the blocks of a dropped replica that the node’s own dataset or a replica being staged still uses', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'aic-replicas-'));
    dirs.push(dir);
    const content = memoryContent();
    const ownShard0 = sealed[0]!.map((c) => rawCid(c));
    const store = openDatasetReplicaStore({ dir, content, heldElsewhere: () => ownShard0 });
    const commitment = await store.putReplica({ datasetId: 7n, manifestBytes, manifest: dataset.manifest, sealed });
    await store.remove(commitment.segmentRoot);
    expect([...content.blocks.keys()].sort()).toEqual([...ownShard0].sort());

    // the same dataset staged again (a second deal being filled) while the first replica goes: its blocks stay
    const held = await store.putReplica({ datasetId: 7n, manifestBytes, manifest: dataset.manifest, sealed });
    const layout = replicaLayout(dataset.manifest);
    const flat = sealed.flat();
    const again = await store.stageReplica(
      { datasetId: 7n, manifestBytes, manifest: dataset.manifest },
      async (sink) => {
        for (const [i, chunk] of layout.chunks.entries()) await sink(chunk, i, flat[i]!);
      },
    );
    await store.remove(held.segmentRoot);
    for (const cid of [...chunkCids(), rawCid(manifestBytes)]) expect(content.blocks.has(cid)).toBe(true);
    await again.commit();
    expect(await store.served.get(dataset.manifest.shards[1]!.root as `0x${string}`, 0)).toEqual(sealed[1]?.[0]);
    expect(await store.get(held.segmentRoot, 0)).toEqual(splitSegments(replicaBlob(dataset.manifest, sealed))[0]);
  });
});
