import { AicError, isAicError } from '@aic/core';
import type { AicNetwork } from '@aic/network';
import type { Hex } from '../commitments/index.ts';
import { openBulkSession } from './bulk-session.ts';
import { CHUNK_FETCH_TIMEOUT_MS, type ChunkHolder, type ChunkSession, openChunkSession } from './chunk-session.ts';
import type { FrameList } from './chunk-wire.ts';

/** Which way a holder's chunks came: its bulk TCP path, or the `/aic/data-chunk/2.0.0` libp2p stream. */
export type FetchPath = 'bulk' | 'stream';

/**
 * Told which path serves a holder (its PeerId string, or the address asked) when its session opens, and again when a
 * bulk session falls back to the stream; `reason` is why the bulk path was not used (a DATA_BULK_UNAVAILABLE reason,
 * 'disabled', or the failure code of a bulk connection that broke).
 */
export type OnFetchPath = (holder: string, path: FetchPath, reason?: string) => void;

export interface HolderSessionInit {
  readonly window: number;
  /** Try the holder's bulk path first (default true). */
  readonly bulk?: boolean;
  readonly onPath?: OnFetchPath;
  readonly signal?: AbortSignal;
}

/** A chunk session that knows which path it is on. */
export interface HolderSession extends ChunkSession {
  readonly path: FetchPath;
}

const reasonOf = (error: unknown) =>
  isAicError(error) ? String((error.details as { reason?: unknown } | undefined)?.reason ?? error.code) : 'error';

/**
 * Opens the session a fetch uses for one holder: its bulk path when it offers one, else (typed reason to `onPath`) the
 * libp2p stream. A bulk connection that breaks mid-fetch moves the fetch to the libp2p stream once, retrying the
 * requests it had in flight there, so a blocked port or a dropped connection costs time, not the holder's share.
 * Throws DATA_CHUNK_FETCH_FAILED when neither path opens.
 */
export async function openHolderSession(
  net: AicNetwork,
  holder: ChunkHolder,
  label: string,
  init: HolderSessionInit,
): Promise<HolderSession> {
  const options = {
    window: init.window,
    timeoutMs: CHUNK_FETCH_TIMEOUT_MS,
    ...(init.signal ? { signal: init.signal } : {}),
  };
  const stream = () => openChunkSession(net, holder, options);
  if (init.bulk === false) {
    init.onPath?.(label, 'stream', 'disabled');
    return new FailoverSession(await stream(), 'stream', label, stream, init.onPath);
  }
  try {
    const session = await openBulkSession(net, holder, options);
    init.onPath?.(session.peerId, 'bulk');
    return new FailoverSession(session, 'bulk', session.peerId, stream, init.onPath);
  } catch (error) {
    if (init.signal?.aborted) throw new AicError('DATA_CHUNK_FETCH_FAILED', 'the dataset fetch was aborted');
    // An unreachable holder is unreachable on both paths: do not pay the dial timeout twice.
    if (reasonOf(error) === 'dial-failed') {
      throw new AicError('DATA_CHUNK_FETCH_FAILED', 'could not reach the holder', { cause: error });
    }
    const session = await stream();
    init.onPath?.(session.peerId, 'stream', reasonOf(error));
    return new FailoverSession(session, 'stream', session.peerId, stream, init.onPath);
  }
}

class FailoverSession implements HolderSession {
  #current: ChunkSession;
  #path: FetchPath;
  readonly #bulk: ChunkSession | undefined;
  #fallback: Promise<ChunkSession> | undefined;

  constructor(
    session: ChunkSession,
    path: FetchPath,
    private readonly label: string,
    private readonly openStream: () => Promise<ChunkSession>,
    private readonly onPath: OnFetchPath | undefined,
  ) {
    this.#current = session;
    this.#path = path;
    this.#bulk = path === 'bulk' ? session : undefined;
  }

  get peerId(): string {
    return this.#current.peerId;
  }

  get path(): FetchPath {
    return this.#path;
  }

  get failure(): AicError | undefined {
    return this.#current.failure;
  }

  async fetch(root: Hex, chunkIndex: number): Promise<Uint8Array> {
    return (await this.fetchParts(root, chunkIndex)).subarray();
  }

  async fetchParts(root: Hex, chunkIndex: number): Promise<FrameList> {
    const session = this.#current;
    try {
      return await session.fetchParts(root, chunkIndex);
    } catch (error) {
      // Only a broken bulk connection moves over; refusals and malformed answers are the holder's own doing.
      if (session !== this.#bulk || !isAicError(error) || error.code !== 'DATA_CHUNK_FETCH_FAILED') throw error;
      const next = await this.#fallBack(error);
      return next.fetchParts(root, chunkIndex);
    }
  }

  #fallBack(error: AicError): Promise<ChunkSession> {
    this.#fallback ??= this.openStream().then((session) => {
      this.onPath?.(this.label, 'stream', `bulk-broke:${error.message}`);
      this.#current = session;
      this.#path = 'stream';
      return session;
    });
    return this.#fallback;
  }

  recycle(frame: FrameList): void {
    this.#bulk?.recycle?.(frame);
  }

  async close(): Promise<void> {
    await this.#current.close();
  }
}
