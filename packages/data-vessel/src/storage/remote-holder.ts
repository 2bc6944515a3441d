/**
 * Replicas over the network: a provider serves its segment store on the Data Vessel's chunk protocol
 * (`/aic/data-chunk/1.0.0`, request = root ‖ index), and a client reads a whole blob back from such a peer.
 */
import { AicError } from '@aic/core';
import type { AicNetwork } from '@aic/network';
import type { Hex } from '../commitments/index.ts';
import { type ChunkHolder, fetchSealedChunk, serveDataset } from '../exchange/index.ts';
import type { BlobHolder } from './client.ts';
import type { SegmentStore } from './segment-store.ts';
import { commitBlob } from './segments.ts';

/** Segments requested at once (below the chunk server's 32 inbound streams per connection). */
const PARALLEL_SEGMENTS = 16;

/**
 * Serves `store`'s segments to peers. The chunk protocol has one handler per node, so a node serves either its
 * datasets or its storage replicas through it, not both.
 */
export function serveSegments(net: AicNetwork, store: SegmentStore): Promise<void> {
  return serveDataset(net, { get: (root, index) => store.get(root, index) });
}

/**
 * A BlobHolder that fetches every segment of a blob from `holder` over the network and checks the reassembled blob
 * against its root before handing it on (a peer is untrusted). Throws STORAGE_REPLICA_CORRUPT on a mismatch.
 */
export function remoteBlobHolder(net: AicNetwork, holder: ChunkHolder): BlobHolder {
  return {
    async readBlob(segmentRoot: Hex, segmentCount: number) {
      const segments: Uint8Array[] = [];
      // In batches: the server allows a bounded number of concurrent streams per connection.
      for (let start = 0; start < segmentCount; start += PARALLEL_SEGMENTS) {
        const batch = Array.from({ length: Math.min(PARALLEL_SEGMENTS, segmentCount - start) }, (_, i) =>
          fetchSealedChunk(net, holder, segmentRoot, start + i),
        );
        segments.push(...(await Promise.all(batch)));
      }
      const blob = new Uint8Array(Buffer.concat(segments));
      if (commitBlob(blob).segmentRoot !== segmentRoot.toLowerCase()) {
        throw new AicError('STORAGE_REPLICA_CORRUPT', `the blob served by the holder does not match ${segmentRoot}`);
      }
      return blob;
    },
  };
}
