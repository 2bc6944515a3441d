/**
 * The streamed segment leaves are exactly the whole-blob ones (`shardChunkLeaves(blob, 4096)`, `commitBlob`), however
 * the blob is cut into pushes: that is what lets a storage node commit to a replica it never holds whole.
 */
import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { commitBlob, STORAGE_SEGMENT_BYTES, segmentLeaves, shardChunkLeaves } from '../../src/index.ts';

function streamed(blob: Uint8Array, cuts: number[]) {
  const stream = segmentLeaves();
  let at = 0;
  for (const cut of [...cuts, blob.length]) {
    stream.push(blob.subarray(at, cut));
    at = cut;
  }
  return stream.finish();
}

describe('segment leaves over a streamed blob', () => {
  const sizes = [1, 4095, 4096, 4097, 3 * STORAGE_SEGMENT_BYTES, 3 * STORAGE_SEGMENT_BYTES + 17, 262_160 * 3 + 5];
  for (const size of sizes) {
    it(`match the whole-blob commitment for ${size} bytes, cut anywhere`, () => {
      const blob = new Uint8Array(randomBytes(size));
      const want = commitBlob(blob);
      const wantLeaves = shardChunkLeaves(blob, STORAGE_SEGMENT_BYTES);
      // sealed-chunk sized pieces (256 KiB + the GCM tag), odd pieces, single bytes at segment edges, one piece
      const cutSets = [
        Array.from({ length: Math.floor(size / 262_160) }, (_, i) => (i + 1) * 262_160),
        Array.from({ length: Math.floor(size / 1_000) }, (_, i) => (i + 1) * 1_000),
        [4095, 4096, 4097].filter((c) => c < size),
        [],
      ];
      for (const cuts of cutSets) {
        const { leaves, commitment } = streamed(blob, cuts);
        expect(commitment).toEqual(want);
        expect(leaves.map((l) => Buffer.from(l).toString('hex'))).toEqual(
          wantLeaves.map((l) => Buffer.from(l).toString('hex')),
        );
      }
    });
  }

  it('gives an empty blob its one empty segment, as commitBlob does', () => {
    expect(streamed(new Uint8Array(0), []).commitment).toEqual(commitBlob(new Uint8Array(0)));
  });
});
