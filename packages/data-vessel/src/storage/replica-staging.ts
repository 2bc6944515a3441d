/**
 * A replica streamed into the node's content store (issue 12): each sealed chunk becomes a block the moment it
 * arrives, and the deal commitment is computed by reading the blocks back in blob order through `segmentLeaves`, so
 * neither the chunks nor the blob are ever held whole. Blocks are put before the commitment is known; the caller
 * deletes them again (`dropBlocks` in the replica store) when the replica is refused.
 */
import { AicError } from '@aic/core';
import type { DatasetManifest } from '../manifest/index.ts';
import type { ReplicaChunkSink } from './replica-fetch.ts';
import { type ReplicaLayout, replicaLayout } from './replica-layout.ts';
import { segmentLeaves } from './segment-leaves.ts';
import type { BlobCommitment } from './segments.ts';

/** The part of the node's ContentStore (`openContentStore`) replicas need: blocks by CID. */
export interface ContentBlocks {
  put(bytes: Uint8Array): Promise<string>;
  get(cid: string): Promise<Uint8Array | undefined>;
  /** Deletes a block; a CID not held is a no-op. */
  delete(cid: string): Promise<void>;
}

export interface StagedBlocks {
  layout: ReplicaLayout;
  /** The CID of every sealed chunk, in layout order. */
  cids: string[];
  commitment: BlobCommitment;
  /** The segment leaves (32 bytes per 4 KiB segment), for the replica's leaves file. */
  leaves: Uint8Array[];
}

/** A chunk as its own block: a view into a larger buffer (a network frame) is copied so the frame can go. */
const ownBytes = (bytes: Uint8Array) =>
  bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength ? bytes : bytes.slice();

/**
 * Runs `fill`, putting every chunk it hands the sink as a block (`onPut` sees each CID as soon as it exists, so the
 * caller can delete them if this throws), then reads the blocks back in order for the commitment. Throws
 * STORAGE_REPLICA_CORRUPT (a chunk of the wrong length, or one never handed over), STORAGE_REPLICA_MISSING (a
 * block gone before it was read back) or what `fill` threw.
 */
export async function stageReplicaBlocks(
  content: ContentBlocks,
  manifest: Pick<DatasetManifest, 'shards'>,
  fill: (sink: ReplicaChunkSink) => Promise<void>,
  onPut: (cid: string) => void,
): Promise<StagedBlocks> {
  const layout = replicaLayout(manifest);
  const cids: (string | undefined)[] = layout.chunks.map(() => undefined);
  await fill(async (chunk, flat, sealed) => {
    const expected = layout.chunks[flat];
    if (!expected || expected.length !== sealed.length || expected.shardRoot !== chunk.shardRoot) {
      throw new AicError('STORAGE_REPLICA_CORRUPT', 'a sealed chunk does not have the length its manifest implies', {
        details: { flat, expected: expected?.length, got: sealed.length },
      });
    }
    if (cids[flat] !== undefined) return; // handed over twice (two holders raced): stored once
    const cid = await content.put(ownBytes(sealed));
    onPut(cid);
    cids[flat] = cid;
  });
  const absent = cids.indexOf(undefined);
  if (absent >= 0) {
    throw new AicError('STORAGE_REPLICA_CORRUPT', 'the replica lacks chunks its manifest names', {
      details: { flat: absent, chunks: layout.chunks.length },
    });
  }
  const stream = segmentLeaves();
  for (const [flat, cid] of (cids as string[]).entries()) {
    const bytes = await content.get(cid);
    if (!bytes || bytes.length !== layout.chunks[flat]?.length) {
      throw new AicError('STORAGE_REPLICA_MISSING', 'a staged chunk is no longer in the content store', {
        details: { flat },
      });
    }
    stream.push(bytes);
  }
  const { leaves, commitment } = stream.finish();
  return { layout, cids: cids as string[], commitment, leaves };
}
