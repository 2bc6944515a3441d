import { AicError } from '@aic/core';
import type { AicNetwork } from '@aic/network';
import type { Connection, Stream } from '@libp2p/interface';
import { lpStream } from '@libp2p/utils';
import type { Uint8ArrayList } from 'uint8arraylist';
import type { Hex } from '../commitments/index.ts';
import { startBulkServer, stopBulkServer } from './bulk-server.ts';
import {
  CHUNK_REQUEST_BYTES,
  type ChunkRequest,
  ChunkStatus,
  DATA_CHUNK_PROTOCOL,
  decodeChunkRequest,
  encodeChunkResponse,
  encodeChunkResponseParts,
} from './chunk-wire.ts';
import { createSlots, type Slots } from './slots.ts';

/** What a holder serves: the sealed (encrypted) chunk of a shard by shard root and index, or undefined. */
export interface SealedChunkStore {
  get(root: Hex, chunkIndex: number): Uint8Array | undefined | Promise<Uint8Array | undefined>;
}

/** Bounds of the chunk server (README "Limits"). Memory held for answers ≤ maxInFlightTotal sealed chunks. */
export const CHUNK_SERVER_LIMITS = {
  /** Requests one stream may have unanswered; a client that sends more breaks the protocol and loses the stream. */
  maxInFlightPerStream: 32,
  /** Chunks being read or written for one connection across its streams; further requests wait (backpressure). */
  maxInFlightPerConnection: 64,
  /** Chunks being read or written across all peers. */
  maxInFlightTotal: 256,
  /** Chunk streams one connection may hold open (one per fetch is the norm; one-shot fetches open their own). */
  maxInboundStreams: 32,
  /** A stream that sends no request for this long is closed. */
  idleTimeoutMs: 30_000,
  /** Time a peer has to take one answer; a slower reader loses the stream (a slow peer only costs its own stream). */
  writeTimeoutMs: 10_000,
} as const;

/** One stream's state: what it has asked and not yet been answered. */
interface StreamState {
  inFlight: number;
  readonly answers: Set<Promise<void>>;
}

/** Reads the sealed chunk (under the connection's and the server's slots) and writes it back tagged with its id. */
async function answerOne(
  write: (frame: Uint8Array | Uint8ArrayList) => Promise<void>,
  store: SealedChunkStore,
  request: ChunkRequest,
  slots: readonly Slots[],
  state: StreamState,
): Promise<void> {
  for (const s of slots) await s.acquire();
  try {
    const sealed = await store.get(request.root, request.chunkIndex);
    // Counted out before the write: the client may send its next request as soon as these bytes reach it.
    state.inFlight--;
    const frame = sealed
      ? encodeChunkResponseParts(request.requestId, sealed)
      : encodeChunkResponse(request.requestId, ChunkStatus.notFound);
    await write(frame);
  } finally {
    for (const s of slots) s.release();
  }
}

function isPoliteEnd(error: unknown, inFlight: number): boolean {
  if (!(error instanceof Error)) return false;
  return error.name === 'UnexpectedEOFError' || (error.name === 'TimeoutError' && inFlight === 0);
}

async function serveStream(stream: Stream, store: SealedChunkStore, slots: readonly Slots[]): Promise<void> {
  const limits = CHUNK_SERVER_LIMITS;
  // maxDataLength bounds one request; maxBufferSize bounds what a client pushing past its window can make us hold.
  const lp = lpStream(stream, {
    maxDataLength: CHUNK_REQUEST_BYTES,
    maxBufferSize: 4 * limits.maxInFlightPerStream * (CHUNK_REQUEST_BYTES + 1),
  });
  const write = (frame: Uint8Array | Uint8ArrayList) =>
    lp.write(frame, { signal: AbortSignal.timeout(limits.writeTimeoutMs) });
  const state: StreamState = { inFlight: 0, answers: new Set() };
  let failure: unknown;
  while (failure === undefined) {
    const frame = await lp.read({ signal: AbortSignal.timeout(limits.idleTimeoutMs) }).catch((error: unknown) => {
      // The client closing its side (EOF) or going idle is a polite end: answer what is pending, then close.
      if (!isPoliteEnd(error, state.inFlight)) failure = error;
      return null;
    });
    if (frame === null) break;
    const request = decodeChunkRequest(frame.subarray());
    if (!request || state.inFlight >= limits.maxInFlightPerStream) {
      failure = new AicError('DATA_CHUNK_REQUEST_INVALID', 'malformed chunk request or window exceeded');
      break;
    }
    state.inFlight++;
    const answer = answerOne(write, store, request, slots, state).catch((error: unknown) => {
      failure ??= error;
      stream.abort(error instanceof Error ? error : new Error('chunk answer failed'));
    });
    state.answers.add(answer);
    void answer.finally(() => state.answers.delete(answer));
  }
  if (failure !== undefined) throw failure;
  await Promise.all(state.answers);
  await stream.close({ signal: AbortSignal.timeout(limits.writeTimeoutMs) });
}

/**
 * Serves `/aic/data-chunk/2.0.0` on a started network. A client keeps one long-lived stream and pipelines up to
 * {@link CHUNK_SERVER_LIMITS}.maxInFlightPerStream requests on it; answers go out as chunks are read, each tagged with
 * its request id. Only ciphertext leaves the holder; integrity is the worker's job (GCM tags, then the shard's Merkle
 * root). Bad input (a malformed request, a window overrun) or a slow reader only aborts that stream. Unless
 * `bulk: false`, the same store is also served on the node's bulk path (`bulk-server.ts`: the same protocol on a TCP
 * port granted over libp2p, frames sealed with a key handed over Noise), which fetchers try first.
 *
 * @example
 * await serveDataset(ownerNode, sealedChunkStore(manifest, sealedShards));
 */
export async function serveDataset(
  net: AicNetwork,
  store: SealedChunkStore,
  options: { readonly bulk?: boolean } = {},
): Promise<void> {
  if (options.bulk !== false) await startBulkServer(net, store);
  const total = createSlots(CHUNK_SERVER_LIMITS.maxInFlightTotal);
  const perConnection = new WeakMap<Connection, Slots>();
  await net.libp2p.handle(
    DATA_CHUNK_PROTOCOL,
    async (stream, connection) => {
      let connectionSlots = perConnection.get(connection);
      if (!connectionSlots) {
        connectionSlots = createSlots(CHUNK_SERVER_LIMITS.maxInFlightPerConnection);
        perConnection.set(connection, connectionSlots);
      }
      try {
        await serveStream(stream, store, [connectionSlots, total]);
      } catch (error) {
        stream.abort(error instanceof Error ? error : new Error('chunk stream failed'));
      }
    },
    { maxInboundStreams: CHUNK_SERVER_LIMITS.maxInboundStreams, force: true },
  );
}

/** Stops serving chunks. */
export async function stopServingDataset(net: AicNetwork): Promise<void> {
  await stopBulkServer(net);
  await net.libp2p.unhandle(DATA_CHUNK_PROTOCOL);
}
