/**
 * A blob's StorageMarket segment leaves computed as its bytes go by, in order, without holding the blob: segments
 * are fixed 4 KiB windows that straddle the sealed chunks, so at most one partial segment (< 4 KiB) is carried
 * between pushes. Gives exactly `shardChunkLeaves(blob, STORAGE_SEGMENT_BYTES)` and `commitBlob(blob)`.
 */
import { AicError } from '@aic/core';
import { bytesToHex0x, merkleRoot } from '@aic/core/merkle';
import { chunkLeaf } from '../commitments/index.ts';
import type { DatasetManifest } from '../manifest/index.ts';
import { replicaLayout } from './replica-layout.ts';
import { type BlobCommitment, STORAGE_SEGMENT_BYTES } from './segments.ts';

export interface SegmentLeaves {
  /** The next bytes of the blob, in order (any length; the bytes are not kept). */
  push(bytes: Uint8Array): void;
  /** The leaves of every segment, the last (shorter) one included, and the blob's deal commitment. */
  finish(): { leaves: Uint8Array[]; commitment: BlobCommitment };
}

export function segmentLeaves(): SegmentLeaves {
  const leaves: Uint8Array[] = [];
  const carry = new Uint8Array(STORAGE_SEGMENT_BYTES);
  let carried = 0;
  let sizeBytes = 0;
  let finished = false;
  return {
    push(bytes) {
      let at = 0;
      sizeBytes += bytes.length;
      if (carried > 0) {
        const take = Math.min(STORAGE_SEGMENT_BYTES - carried, bytes.length);
        carry.set(bytes.subarray(0, take), carried);
        carried += take;
        at = take;
        if (carried < STORAGE_SEGMENT_BYTES) return;
        leaves.push(chunkLeaf(leaves.length, carry));
        carried = 0;
      }
      // Whole segments straight from the input (views, no copy).
      for (; at + STORAGE_SEGMENT_BYTES <= bytes.length; at += STORAGE_SEGMENT_BYTES) {
        leaves.push(chunkLeaf(leaves.length, bytes.subarray(at, at + STORAGE_SEGMENT_BYTES)));
      }
      carry.set(bytes.subarray(at), 0);
      carried = bytes.length - at;
    },
    finish() {
      if (!finished) {
        // The last segment may be shorter; an empty blob still has one (empty) segment, as `chunkCount` says.
        if (carried > 0 || leaves.length === 0) leaves.push(chunkLeaf(leaves.length, carry.subarray(0, carried)));
        finished = true;
      }
      const commitment = {
        segmentRoot: bytesToHex0x(merkleRoot(leaves)),
        sizeBytes: BigInt(sizeBytes),
        segmentCount: leaves.length,
      };
      return { leaves, commitment };
    },
  };
}

/** A held dataset's public manifest and its sealed chunks, read one at a time (never the whole replica at once). */
export interface HeldReplicaSource {
  manifestBytes: Uint8Array;
  /** Sealed chunk `chunkIndex` of shard `shardIndex`, or undefined when it is not held. */
  chunk(shardIndex: number, chunkIndex: number): Promise<Uint8Array | undefined>;
}

/**
 * The deal commitment of a held dataset's replica, its sealed chunks read one at a time in blob order (what the
 * owner proposes before placing it): equal to `replicaCommitment` over the same chunks. Undefined when a chunk is not
 * held; throws STORAGE_REPLICA_CORRUPT for a chunk of another length than the manifest implies.
 */
export async function replicaCommitmentOf(
  manifest: Pick<DatasetManifest, 'shards'>,
  chunk: HeldReplicaSource['chunk'],
): Promise<BlobCommitment | undefined> {
  const stream = segmentLeaves();
  for (const expected of replicaLayout(manifest).chunks) {
    const bytes = await chunk(expected.shardIndex, expected.chunkIndex);
    if (!bytes) return undefined;
    if (bytes.length !== expected.length) {
      throw new AicError('STORAGE_REPLICA_CORRUPT', 'a sealed chunk does not have the length its manifest implies', {
        details: { shardIndex: expected.shardIndex, chunkIndex: expected.chunkIndex, expected: expected.length },
      });
    }
    stream.push(bytes);
  }
  return stream.finish().commitment;
}
