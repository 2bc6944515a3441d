import type { AicNetwork } from '@aic/network';
import type { Stream } from '@libp2p/interface';
import { lpStream } from '@libp2p/utils';
import type { Hex } from '../commitments/index.ts';
import {
  CHUNK_REQUEST_BYTES,
  ChunkStatus,
  DATA_CHUNK_PROTOCOL,
  decodeChunkRequest,
  encodeChunkResponse,
} from './chunk-wire.ts';

/** What a holder serves: the sealed (encrypted) chunk of a shard by shard root and index, or undefined. */
export interface SealedChunkStore {
  get(root: Hex, chunkIndex: number): Uint8Array | undefined | Promise<Uint8Array | undefined>;
}

/** Bounds of the chunk server. */
export const CHUNK_SERVER_LIMITS = {
  /** Time a peer has to send its request and take the answer. */
  exchangeTimeoutMs: 10_000,
  /** Concurrent chunk streams per connection (loadShard asks for a few chunks at once). */
  maxInboundStreams: 32,
} as const;

async function answer(stream: Stream, store: SealedChunkStore, signal: AbortSignal): Promise<void> {
  // maxDataLength bounds what we buffer: a longer request fails the read, it is never accumulated.
  const lp = lpStream(stream, { maxDataLength: CHUNK_REQUEST_BYTES });
  const request = decodeChunkRequest((await lp.read({ signal })).subarray());
  let response: Uint8Array;
  if (!request) {
    response = encodeChunkResponse(ChunkStatus.badRequest);
  } else {
    const sealed = await store.get(request.root, request.chunkIndex);
    response = sealed ? encodeChunkResponse(ChunkStatus.ok, sealed) : encodeChunkResponse(ChunkStatus.notFound);
  }
  await lp.write(response, { signal });
  await stream.close({ signal });
}

/**
 * Serves `/aic/data-chunk/1.0.0` on a started network: each stream carries one request (shard root ‖ uint32 chunk
 * index) and gets one answer (status ‖ sealed chunk), both length-prefixed and bounded. Only ciphertext leaves the
 * holder; integrity is the worker's job (GCM tags, then the shard's Merkle root). Bad input or a slow peer only
 * aborts that stream.
 *
 * @example
 * await serveDataset(ownerNode, sealedChunkStore(manifest, sealedShards));
 */
export async function serveDataset(net: AicNetwork, store: SealedChunkStore): Promise<void> {
  await net.libp2p.handle(
    DATA_CHUNK_PROTOCOL,
    async (stream) => {
      const signal = AbortSignal.timeout(CHUNK_SERVER_LIMITS.exchangeTimeoutMs);
      try {
        await answer(stream, store, signal);
      } catch (error) {
        stream.abort(error instanceof Error ? error : new Error('chunk exchange failed'));
      }
    },
    { maxInboundStreams: CHUNK_SERVER_LIMITS.maxInboundStreams, force: true },
  );
}

/** Stops serving chunks. */
export async function stopServingDataset(net: AicNetwork): Promise<void> {
  await net.libp2p.unhandle(DATA_CHUNK_PROTOCOL);
}
