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
      expect(await s.datasetOf(7n)).toEqual({ manifestBytes, sealed: sealed.map((c) => [...c]) });
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
  });
});
