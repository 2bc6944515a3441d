/** Pure commitment of a stored blob in the StorageMarket's segments (no I/O). */
import { bytesToHex0x } from '@aic/core/merkle';
import { chunkAt, chunkCount, chunkProof, type Hex, shardChunkLeaves, shardRoot } from '../commitments/index.ts';

/** The StorageMarket's MAX_SEGMENT_BYTES: segments are cut at this size, the last one may be shorter. */
export const STORAGE_SEGMENT_BYTES = 4096;

/** What a deal commits to: the segment root and the sizes the contract records. */
export interface BlobCommitment {
  segmentRoot: Hex;
  sizeBytes: bigint;
  segmentCount: number;
}

/** The deal commitment of `blob` (the same root `shardRoot(blob, 4096)` gives, which the contract verifies). */
export function commitBlob(blob: Uint8Array): BlobCommitment {
  return {
    segmentRoot: shardRoot(blob, STORAGE_SEGMENT_BYTES),
    sizeBytes: BigInt(blob.length),
    segmentCount: chunkCount(blob.length, STORAGE_SEGMENT_BYTES),
  };
}

/** The segments of `blob`, in order (views, not copies). */
export function splitSegments(blob: Uint8Array): Uint8Array[] {
  const count = chunkCount(blob.length, STORAGE_SEGMENT_BYTES);
  return Array.from({ length: count }, (_, i) => chunkAt(blob, i, STORAGE_SEGMENT_BYTES));
}

/** The answer to a challenge for segment `index`: its bytes (0x hex) and its Merkle proof, as answerChallenge takes. */
export function segmentAnswer(blob: Uint8Array, index: number): { segment: Hex; proof: Hex[] } {
  const leaves = shardChunkLeaves(blob, STORAGE_SEGMENT_BYTES);
  return { segment: bytesToHex0x(chunkAt(blob, index, STORAGE_SEGMENT_BYTES)), proof: chunkProof(leaves, index) };
}
