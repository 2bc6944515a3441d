import { createConnection, type Socket } from 'node:net';
import { AicError, isAicError } from '@aic/core';
import type { AicNetwork } from '@aic/network';
import { lpStream } from '@libp2p/utils';
import type { Hex } from '../commitments/index.ts';
import { BULK_TAG_BYTES, deriveBulkKeys, FrameOpener, FrameSealer } from './bulk-crypto.ts';
import {
  BULK_GRANT_BYTES,
  BULK_PROTOCOL,
  BULK_VERSION,
  BulkGrantStatus,
  decodeBulkGrant,
  tcpHostOf,
} from './bulk-wire.ts';
import type { ChunkHolder, ChunkSession } from './chunk-session.ts';
import {
  type ChunkResponseParts,
  decodeChunkResponseParts,
  encodeChunkRequest,
  type FrameList,
  MAX_CHUNK_RESPONSE_BYTES,
  sealedOfResponse,
} from './chunk-wire.ts';
import { createSlots } from './slots.ts';

/** Why a fetch could not use a holder's bulk path (it then uses the libp2p stream): `DATA_BULK_UNAVAILABLE`. */
export type BulkUnavailableReason =
  | 'dial-failed'
  | 'not-offered'
  | 'busy'
  | 'bad-grant'
  | 'no-tcp-address'
  | 'connect-failed';

function unavailable(reason: BulkUnavailableReason, cause?: unknown): AicError {
  return new AicError('DATA_BULK_UNAVAILABLE', `the holder's bulk path is unavailable: ${reason}`, {
    details: { reason },
    ...(cause === undefined ? {} : { cause }),
  });
}

/** Asks the holder for a ticket over libp2p (Noise authenticates both ends); its connection's address is dialled. */
async function negotiate(net: AicNetwork, holder: ChunkHolder, signal: AbortSignal) {
  let connection: Awaited<ReturnType<AicNetwork['libp2p']['dial']>>;
  try {
    connection = await net.libp2p.dial(holder, { signal });
  } catch (cause) {
    throw unavailable('dial-failed', cause);
  }
  let answer: Uint8Array;
  try {
    const stream = await connection.newStream(BULK_PROTOCOL, { signal });
    const lp = lpStream(stream, { maxDataLength: BULK_GRANT_BYTES });
    await lp.write(Uint8Array.of(BULK_VERSION), { signal });
    answer = (await lp.read({ signal })).subarray();
    await stream.close({ signal }).catch(() => stream.abort(new Error('close failed')));
  } catch (cause) {
    throw unavailable('not-offered', cause);
  }
  const grant = decodeBulkGrant(answer);
  if (grant === undefined) throw unavailable('bad-grant');
  if (grant.status === BulkGrantStatus.busy) throw unavailable('busy');
  const target = tcpHostOf(connection.remoteAddr);
  if (target === undefined) throw unavailable('no-tcp-address');
  return { grant, host: target.host, peerId: connection.remotePeer.toString() };
}

/** Where a connection's received bytes go (set by the session once it exists; the holder sends nothing before). */
interface Sink {
  onData(data: Uint8Array): void;
}

/** Bytes one socket read may take: a whole answer in one read when the kernel has it. */
const READ_BUFFER_BYTES = 512 * 1024;

function connect(host: string, port: number, sink: Sink, signal: AbortSignal): Promise<Socket> {
  return new Promise((resolve, reject) => {
    // Every read lands in one static buffer, copied into its frame at once: no allocation (and garbage) per read.
    const buffer = Buffer.allocUnsafe(READ_BUFFER_BYTES);
    const socket = createConnection({
      host,
      port,
      noDelay: true,
      onread: {
        buffer,
        callback: (bytes, into) => {
          sink.onData(into.subarray(0, bytes));
          return true; // keep reading (false would pause the socket)
        },
      },
    });
    const fail = (cause: unknown) => {
      socket.destroy();
      reject(unavailable('connect-failed', cause));
    };
    const onAbort = () => fail(signal.reason);
    signal.addEventListener('abort', onAbort, { once: true });
    socket.once('error', fail);
    socket.once('connect', () => {
      signal.removeEventListener('abort', onAbort);
      socket.off('error', fail);
      resolve(socket);
    });
  });
}

/**
 * Opens a pipelined chunk session on `holder`'s bulk path: a ticket from `/aic/data-bulk/1.0.0`, then a TCP
 * connection to the holder's bulk port carrying the chunk requests and answers as AES-256-GCM frames under keys only
 * the two authenticated peers know. Same contract as {@link ChunkSession}. Throws DATA_BULK_UNAVAILABLE (with the
 * reason) when the holder offers no bulk path or it cannot be reached.
 */
export async function openBulkSession(
  net: AicNetwork,
  holder: ChunkHolder,
  init: { readonly window: number; readonly timeoutMs: number; readonly signal?: AbortSignal },
): Promise<ChunkSession> {
  const timeout = AbortSignal.timeout(init.timeoutMs);
  const signal = init.signal ? AbortSignal.any([init.signal, timeout]) : timeout;
  const { grant, host, peerId } = await negotiate(net, holder, signal);
  if (grant.status !== BulkGrantStatus.ok) throw unavailable('bad-grant');
  const sink: Sink = { onData: () => {} };
  const socket = await connect(host, grant.port, sink, signal);
  socket.write(grant.ticket);
  const keys = deriveBulkKeys(grant.secret, grant.ticket, peerId, net.peerId.toString());
  return new BulkSession(socket, sink, peerId, keys, init);
}

interface Pending {
  resolve(response: ChunkResponseParts): void;
  reject(error: unknown): void;
}

class BulkSession implements ChunkSession {
  readonly peerId: string;
  failure: AicError | undefined;
  readonly #socket: Socket;
  readonly #sealer: FrameSealer;
  readonly #opener: FrameOpener;
  readonly #slots;
  readonly #pending = new Map<number, Pending>();
  readonly #timeoutMs: number;
  readonly #maxBuffered: number;
  /** Frame buffers free for the next answer, and those handed out in answers (recycle takes back only those). */
  readonly #pool: Uint8Array[] = [];
  readonly #out = new WeakSet<ArrayBufferLike>();
  #nextId = 0;
  #closed = false;

  constructor(
    socket: Socket,
    sink: Sink,
    peerId: string,
    keys: ReturnType<typeof deriveBulkKeys>,
    init: { readonly window: number; readonly timeoutMs: number; readonly signal?: AbortSignal },
  ) {
    this.peerId = peerId;
    this.#socket = socket;
    this.#timeoutMs = init.timeoutMs;
    this.#slots = createSlots(init.window);
    this.#sealer = new FrameSealer(keys.toHolder);
    const maxFrame = MAX_CHUNK_RESPONSE_BYTES + BULK_TAG_BYTES;
    this.#opener = new FrameOpener(keys.toFetcher, maxFrame, (length) => {
      const buffer = this.#pool.pop() ?? new Uint8Array(maxFrame);
      this.#out.add(buffer.buffer);
      return buffer.subarray(0, length);
    });
    // Answers of the whole window may arrive before they are taken: more than that is a holder flooding us.
    this.#maxBuffered = (init.window + 1) * (maxFrame + 8);
    sink.onData = (data) => this.#onData(data);
    socket.on('error', (cause) => this.#fail(failed('the bulk connection failed', cause)));
    socket.on('close', () => this.#fail(failed('the bulk connection to the holder ended')));
    init.signal?.addEventListener('abort', () => this.#fail(failed('aborted')), { once: true });
  }

  async fetch(root: Hex, chunkIndex: number): Promise<Uint8Array> {
    return (await this.fetchParts(root, chunkIndex)).subarray();
  }

  async fetchParts(root: Hex, chunkIndex: number): Promise<FrameList> {
    await this.#slots.acquire();
    try {
      if (this.failure) throw this.failure;
      if (this.#closed) throw failed('the chunk session is closed');
      const requestId = this.#nextId;
      this.#nextId = (this.#nextId + 1) >>> 0;
      const request = encodeChunkRequest({ requestId, root, chunkIndex });
      const answer = new Promise<ChunkResponseParts>((resolve, reject) =>
        this.#pending.set(requestId, { resolve, reject }),
      );
      answer.catch(() => {});
      const timer = setTimeout(() => this.#fail(failed('the holder did not answer in time')), this.#timeoutMs);
      try {
        this.#socket.cork();
        for (const piece of this.#sealer.seal([request])) this.#socket.write(piece);
        this.#socket.uncork();
        return sealedOfResponse(await answer);
      } finally {
        clearTimeout(timer);
      }
    } finally {
      this.#slots.release();
    }
  }

  recycle(frame: FrameList): void {
    for (const piece of frame) {
      // Pieces are views; only a buffer this session handed out goes back, and only once.
      if (!this.#out.has(piece.buffer)) continue;
      this.#out.delete(piece.buffer);
      this.#pool.push(new Uint8Array(piece.buffer));
    }
  }

  async close(): Promise<void> {
    if (this.#closed || this.failure) return;
    this.#closed = true;
    // Half-closing lets the holder answer what is pending and then end the connection.
    this.#socket.end();
    await new Promise<void>((resolve) => {
      const timer = setTimeout(() => {
        this.#socket.destroy();
        resolve();
      }, this.#timeoutMs);
      this.#socket.once('close', () => {
        clearTimeout(timer);
        resolve();
      });
    });
  }

  #onData(data: Uint8Array): void {
    if (this.failure) return;
    const { frames, failure } = this.#opener.push(data);
    try {
      for (const frame of frames) this.#answer(decodeChunkResponseParts(frame));
    } catch (error) {
      this.#fail(isAicError(error) ? error : failed('bad bulk answer', error));
      return;
    }
    // A frame failing the session key was not sent by the holder (only it has the key): the path is bad, not it.
    if (failure) this.#fail(failed(`bulk ${failure}`));
    else if (this.#opener.buffered > this.#maxBuffered) this.#fail(failed('the holder sent more than it was asked'));
  }

  #answer(response: ChunkResponseParts): void {
    const pending = this.#pending.get(response.requestId);
    if (!pending) {
      throw new AicError('DATA_CHUNK_RESPONSE_INVALID', 'the holder answered a request that was not made', {
        details: { requestId: response.requestId },
      });
    }
    this.#pending.delete(response.requestId);
    pending.resolve(response);
  }

  #fail(error: AicError): void {
    this.failure ??= this.#closed ? failed('the chunk session is closed') : error;
    for (const pending of this.#pending.values()) pending.reject(this.failure);
    this.#pending.clear();
    if (!this.#closed) this.#socket.destroy();
  }
}

function failed(message: string, cause?: unknown): AicError {
  return new AicError('DATA_CHUNK_FETCH_FAILED', message, {
    details: { path: 'bulk' },
    ...(cause === undefined ? {} : { cause }),
  });
}
