import { AicError, isAicError } from '@aic/core';
import type { AicNetwork } from '@aic/network';
import type { Stream } from '@libp2p/interface';
import { lpStream } from '@libp2p/utils';
import type { Hex } from '../commitments/index.ts';
import { CHUNK_SERVER_LIMITS } from './chunk-server.ts';
import {
  type ChunkResponseParts,
  DATA_CHUNK_PROTOCOL,
  decodeChunkResponseParts,
  encodeChunkRequest,
  type FrameList,
  MAX_CHUNK_RESPONSE_BYTES,
  sealedOfResponse,
} from './chunk-wire.ts';
import { createSlots } from './slots.ts';

/** A holder to dial: a PeerId or a Multiaddr object (what libp2p's dial takes). */
export type ChunkHolder = Parameters<AicNetwork['libp2p']['dial']>[0];

/** Time for one chunk answer (or the dial and stream open) unless told otherwise. */
export const CHUNK_FETCH_TIMEOUT_MS = 10_000;

/** Options of a chunk session. */
export interface ChunkSessionInit {
  /** Requests in flight at once; at most the server's window (CHUNK_SERVER_LIMITS.maxInFlightPerStream). */
  readonly window?: number;
  /** Time for the dial and for each answer; a holder slower than this fails the whole session. */
  readonly timeoutMs?: number;
  readonly signal?: AbortSignal;
}

/**
 * One long-lived `/aic/data-chunk/2.0.0` stream to one holder with many requests in flight. Answers are matched by
 * request id. Any failure (stream error, timeout, an answer to no request) ends the session: every pending and later
 * `fetch` rejects with DATA_CHUNK_FETCH_FAILED or DATA_CHUNK_RESPONSE_INVALID, and the caller moves the work to
 * another holder.
 */
export interface ChunkSession {
  /** The holder's PeerId, as authenticated by Noise when the stream opened. */
  readonly peerId: string;
  /**
   * The sealed chunk (unverified: the caller opens it with GCM and checks the shard root). Throws
   * DATA_CHUNK_NOT_FOUND (the session stays usable) or the session's failure.
   */
  fetch(root: Hex, chunkIndex: number): Promise<Uint8Array>;
  /**
   * The same as `fetch`, the sealed chunk left in the pieces it arrived in (no copy into one buffer): the bulk path,
   * which opens it piece by piece straight into the shard.
   */
  fetchParts(root: Hex, chunkIndex: number): Promise<FrameList>;
  /**
   * Hands an answer from `fetchParts` back once the caller has read it for the last time, so its buffer takes the
   * next answer (the bulk path pools them: no 256 KiB allocation, and garbage, per chunk). Optional; a no-op for
   * frames the session does not own.
   */
  recycle?(frame: FrameList): void;
  /** Why the session ended, once it has. */
  readonly failure: AicError | undefined;
  /** Closes the stream after the pending answers. */
  close(): Promise<void>;
}

interface Pending {
  resolve(response: ChunkResponseParts): void;
  reject(error: unknown): void;
}

/** Opens the stream of a session. Throws DATA_CHUNK_FETCH_FAILED when the holder cannot be reached. */
async function openStream(net: AicNetwork, holder: ChunkHolder, timeoutMs: number, signal?: AbortSignal) {
  const openSignal = signal
    ? AbortSignal.any([signal, AbortSignal.timeout(timeoutMs)])
    : AbortSignal.timeout(timeoutMs);
  try {
    const connection = await net.libp2p.dial(holder, { signal: openSignal });
    const stream = await connection.newStream(DATA_CHUNK_PROTOCOL, { signal: openSignal });
    return { stream, peerId: connection.remotePeer.toString() };
  } catch (cause) {
    throw new AicError('DATA_CHUNK_FETCH_FAILED', 'could not open a chunk stream to the holder', {
      cause,
      details: { timedOut: openSignal.aborted },
    });
  }
}

/**
 * Opens a pipelined chunk session to `holder`.
 *
 * @example
 * const session = await openChunkSession(worker, holderAddr);
 * const sealed = await Promise.all(indexes.map((i) => session.fetch(shardRoot, i)));
 * await session.close();
 */
export async function openChunkSession(
  net: AicNetwork,
  holder: ChunkHolder,
  init: ChunkSessionInit = {},
): Promise<ChunkSession> {
  const window = Math.max(1, Math.min(init.window ?? CHUNK_SERVER_LIMITS.maxInFlightPerStream, 0xffff));
  const timeoutMs = init.timeoutMs ?? CHUNK_FETCH_TIMEOUT_MS;
  const { stream, peerId } = await openStream(net, holder, timeoutMs, init.signal);
  return new PipelinedSession(stream, peerId, window, timeoutMs, init.signal);
}

class PipelinedSession implements ChunkSession {
  readonly peerId: string;
  failure: AicError | undefined;
  readonly #stream: Stream;
  readonly #lp;
  readonly #slots;
  readonly #pending = new Map<number, Pending>();
  readonly #timeoutMs: number;
  #nextId = 0;
  #closed = false;

  constructor(stream: Stream, peerId: string, window: number, timeoutMs: number, signal?: AbortSignal) {
    this.peerId = peerId;
    this.#stream = stream;
    this.#timeoutMs = timeoutMs;
    this.#slots = createSlots(window);
    // Answers of the whole window may arrive before this thread reads them: the buffer must hold them all.
    this.#lp = lpStream(stream, {
      maxDataLength: MAX_CHUNK_RESPONSE_BYTES,
      maxBufferSize: (window + 1) * (MAX_CHUNK_RESPONSE_BYTES + 8),
    });
    signal?.addEventListener('abort', () => this.#fail(new AicError('DATA_CHUNK_FETCH_FAILED', 'aborted')), {
      once: true,
    });
    void this.#readAnswers();
  }

  async fetch(root: Hex, chunkIndex: number): Promise<Uint8Array> {
    return (await this.fetchParts(root, chunkIndex)).subarray();
  }

  async fetchParts(root: Hex, chunkIndex: number): Promise<FrameList> {
    await this.#slots.acquire();
    try {
      if (this.failure) throw this.failure;
      if (this.#closed) throw new AicError('DATA_CHUNK_FETCH_FAILED', 'the chunk session is closed');
      const requestId = this.#nextId;
      this.#nextId = (this.#nextId + 1) >>> 0;
      const request = encodeChunkRequest({ requestId, root, chunkIndex });
      const answer = new Promise<ChunkResponseParts>((resolve, reject) =>
        this.#pending.set(requestId, { resolve, reject }),
      );
      // The session may fail while the request is still being written: that rejection is awaited below, not lost.
      answer.catch(() => {});
      const timer = setTimeout(
        () => this.#fail(new AicError('DATA_CHUNK_FETCH_FAILED', 'the holder did not answer in time')),
        this.#timeoutMs,
      );
      try {
        await this.#lp.write(request, { signal: AbortSignal.timeout(this.#timeoutMs) }).catch((cause: unknown) => {
          this.#fail(new AicError('DATA_CHUNK_FETCH_FAILED', 'could not send the chunk request', { cause }));
        });
        return sealedOfResponse(await answer);
      } finally {
        clearTimeout(timer);
      }
    } finally {
      this.#slots.release();
    }
  }

  async close(): Promise<void> {
    if (this.#closed || this.failure) return;
    this.#closed = true;
    // Closing our side lets the holder answer what is pending and then end the stream (the read loop sees EOF).
    await this.#stream.close({ signal: AbortSignal.timeout(this.#timeoutMs) }).catch(() => {
      this.#stream.abort(new Error('close failed'));
    });
  }

  async #readAnswers(): Promise<void> {
    try {
      for (;;) {
        const frame = await this.#lp.read();
        const response = decodeChunkResponseParts(frame);
        const pending = this.#pending.get(response.requestId);
        if (!pending) {
          throw new AicError('DATA_CHUNK_RESPONSE_INVALID', 'the holder answered a request that was not made', {
            details: { requestId: response.requestId },
          });
        }
        this.#pending.delete(response.requestId);
        pending.resolve(response);
      }
    } catch (error) {
      const failure = isAicError(error)
        ? error
        : new AicError('DATA_CHUNK_FETCH_FAILED', 'the chunk stream to the holder ended', { cause: error });
      this.#fail(failure);
    }
  }

  #fail(error: AicError): void {
    this.failure ??= this.#closed ? new AicError('DATA_CHUNK_FETCH_FAILED', 'the chunk session is closed') : error;
    for (const pending of this.#pending.values()) pending.reject(this.failure);
    this.#pending.clear();
    if (!this.#closed) this.#stream.abort(error);
  }
}
