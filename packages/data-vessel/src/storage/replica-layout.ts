/**
 * A dataset replica as a StorageMarket blob (pure, no I/O): the sealed (encrypted) chunks of every shard, in manifest
 * order, back to back. The layout follows from the public manifest alone (a sealed chunk is its plaintext chunk plus
 * the GCM tag), so a storage provider that never sees the key can still cut the blob into the chunks it serves, and
 * the owner, who sealed them, computes the deal's segment root from the same bytes.
 */
import { AicError } from '@aic/core';
import { chunkCount, type Hex } from '../commitments/index.ts';
import { GCM_TAG_BYTES } from '../crypto/chunk-cipher.ts';
import { CHUNK_SIZE_BYTES } from '../limits.ts';
import type { DatasetManifest } from '../manifest/index.ts';
import { type BlobCommitment, commitBlob, STORAGE_SEGMENT_BYTES } from './segments.ts';

/** One sealed chunk's place in the replica blob. */
export interface ReplicaChunk {
  shardRoot: Hex;
  shardIndex: number;
  chunkIndex: number;
  offset: number;
  length: number;
}

export interface ReplicaLayout {
  chunks: ReplicaChunk[];
  sizeBytes: number;
}

/** The sealed length of chunk `chunkIndex` of a shard of `shardBytes` plaintext bytes. */
export function sealedChunkLength(shardBytes: number, chunkIndex: number): number {
  const plain = Math.min(CHUNK_SIZE_BYTES, Math.max(0, shardBytes - chunkIndex * CHUNK_SIZE_BYTES));
  return plain + GCM_TAG_BYTES;
}

/** Where every sealed chunk of `manifest`'s dataset sits in its replica blob. */
export function replicaLayout(manifest: Pick<DatasetManifest, 'shards'>): ReplicaLayout {
  const chunks: ReplicaChunk[] = [];
  let offset = 0;
  manifest.shards.forEach((shard, shardIndex) => {
    for (let chunkIndex = 0; chunkIndex < chunkCount(shard.byteLength); chunkIndex++) {
      const length = sealedChunkLength(shard.byteLength, chunkIndex);
      chunks.push({ shardRoot: shard.root as Hex, shardIndex, chunkIndex, offset, length });
      offset += length;
    }
  });
  return { chunks, sizeBytes: offset };
}

/**
 * Checks that `sealed` (per shard, per chunk) has exactly the chunk count and lengths the manifest implies, and
 * returns the blob. Throws STORAGE_REPLICA_CORRUPT naming the first chunk that does not fit.
 */
export function replicaBlob(
  manifest: Pick<DatasetManifest, 'shards'>,
  sealed: readonly (readonly Uint8Array[])[],
): Uint8Array {
  const layout = replicaLayout(manifest);
  const out = new Uint8Array(layout.sizeBytes);
  for (const chunk of layout.chunks) {
    const bytes = sealed[chunk.shardIndex]?.[chunk.chunkIndex];
    if (bytes?.length !== chunk.length) {
      throw new AicError('STORAGE_REPLICA_CORRUPT', 'a sealed chunk does not have the length its manifest implies', {
        details: { shardIndex: chunk.shardIndex, chunkIndex: chunk.chunkIndex, expected: chunk.length },
      });
    }
    out.set(bytes, chunk.offset);
  }
  const extra =
    sealed.length !== manifest.shards.length ||
    sealed.some((s, i) => s.length !== chunkCount(manifest.shards[i]?.byteLength ?? 0));
  if (extra) throw new AicError('STORAGE_REPLICA_CORRUPT', 'the replica has chunks its manifest does not name');
  return out;
}

/** The deal commitment of a dataset replica (what the owner proposes and the provider checks). */
export function replicaCommitment(
  manifest: Pick<DatasetManifest, 'shards'>,
  sealed: readonly (readonly Uint8Array[])[],
): BlobCommitment {
  return commitBlob(replicaBlob(manifest, sealed));
}

/** The chunks (index into `layout.chunks`) that segment `index` of the blob overlaps, with the byte range. */
export function segmentSpan(layout: ReplicaLayout, index: number): { start: number; end: number; first: number } {
  const start = index * STORAGE_SEGMENT_BYTES;
  const end = Math.min(start + STORAGE_SEGMENT_BYTES, layout.sizeBytes);
  // Binary search for the chunk holding `start`.
  let lo = 0;
  let hi = layout.chunks.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if ((layout.chunks[mid]?.offset ?? 0) <= start) lo = mid;
    else hi = mid - 1;
  }
  return { start, end, first: lo };
}
