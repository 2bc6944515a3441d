import { bytesToHex, encodePacked, keccak256 } from 'viem';
import { describe, expect, it } from 'vitest';
import {
  CHUNK_SIZE_BYTES,
  chunkAt,
  chunkCount,
  chunkLeaf,
  chunkProof,
  datasetRoot,
  shardChunkLeaves,
  shardRoot,
  verifyChunk,
} from '../../src/index.ts';
import { tinyDataset } from '../helpers/tiny-dataset.ts';

function pseudoRandomBytes(length: number, seed: number): Uint8Array {
  const out = new Uint8Array(length);
  let x = seed;
  for (let i = 0; i < length; i++) {
    x = (x * 1103515245 + 12345) >>> 0;
    out[i] = x >>> 24;
  }
  return out;
}

describe('chunk and dataset commitments', () => {
  const shard = pseudoRandomBytes(2 * CHUNK_SIZE_BYTES + 1000, 7);
  const leaves = shardChunkLeaves(shard);
  const root = shardRoot(shard);

  it('cuts a shard into 256 KiB chunks, the last one shorter', () => {
    expect(chunkCount(shard.length)).toBe(3);
    expect(chunkAt(shard, 0)).toHaveLength(CHUNK_SIZE_BYTES);
    expect(chunkAt(shard, 2)).toHaveLength(1000);
    expect(() => chunkAt(shard, 3)).toThrow(expect.objectContaining({ code: 'DATA_CHUNK_OUT_OF_RANGE' }));
  });

  it('verifies every chunk against the shard root', () => {
    for (let i = 0; i < 3; i++) expect(verifyChunk(chunkAt(shard, i), i, chunkProof(leaves, i), root)).toBe(true);
  });

  it('forms leaves exactly as the StorageMarket contract does', () => {
    const chunk = chunkAt(shard, 2);
    const solidity = keccak256(encodePacked(['uint32', 'bytes'], [2, bytesToHex(chunk)]));
    expect(bytesToHex(chunkLeaf(2, chunk))).toBe(solidity);
  });

  it('commits in any segment size (4 KiB segments for storage deals)', () => {
    const segmentLeaves = shardChunkLeaves(shard, 4096);
    expect(segmentLeaves).toHaveLength(Math.ceil(shard.length / 4096));
    const segmentRoot = shardRoot(shard, 4096);
    expect(verifyChunk(chunkAt(shard, 100, 4096), 100, chunkProof(segmentLeaves, 100), segmentRoot, 4096)).toBe(true);
    expect(segmentRoot).not.toBe(root);
  });

  it('detects a tampered chunk', () => {
    const tampered = chunkAt(shard, 1).slice();
    tampered[12345] = (tampered[12345] as number) ^ 1;
    expect(verifyChunk(tampered, 1, chunkProof(leaves, 1), root)).toBe(false);
  });

  it('does not accept a genuine chunk at another index', () => {
    const twin = new Uint8Array(2 * CHUNK_SIZE_BYTES); // two equal chunks: only the index tells them apart
    const twinLeaves = shardChunkLeaves(twin);
    const twinRoot = shardRoot(twin);
    expect(verifyChunk(chunkAt(twin, 0), 0, chunkProof(twinLeaves, 0), twinRoot)).toBe(true);
    expect(verifyChunk(chunkAt(twin, 0), 1, chunkProof(twinLeaves, 0), twinRoot)).toBe(false);
  });

  it('answers false, not a throw, for malformed proofs and oversize chunks', () => {
    expect(verifyChunk(chunkAt(shard, 0), 0, ['0x12'], root)).toBe(false);
    expect(verifyChunk(new Uint8Array(CHUNK_SIZE_BYTES + 1), 0, [], root)).toBe(false);
    expect(verifyChunk(chunkAt(shard, 0), -1, chunkProof(leaves, 0), root)).toBe(false);
  });

  it('changes the dataset root when any shard changes, and keeps it when nothing does', () => {
    const { manifest, shards } = tinyDataset();
    expect(datasetRoot(manifest.shards)).toBe(manifest.datasetRoot);
    expect(tinyDataset().manifest.datasetRoot).toBe(manifest.datasetRoot);
    const edited = shards[2]!.slice();
    edited[edited.length - 1] = (edited[edited.length - 1] as number) ^ 1;
    const moved = manifest.shards.map((s, i) => (i === 2 ? { ...s, root: shardRoot(edited) } : s));
    expect(datasetRoot(moved)).not.toBe(manifest.datasetRoot);
    const recounted = manifest.shards.map((s, i) => (i === 0 ? { ...s, rows: s.rows + 1 } : s));
    expect(datasetRoot(recounted)).not.toBe(manifest.datasetRoot);
  });
});
