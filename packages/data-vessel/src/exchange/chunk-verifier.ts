import { Worker } from 'node:worker_threads';
import { AicError } from '@aic/core';
import { chunkLeaf, chunkLeafPrefix } from '../commitments/index.ts';
import { type ChunkPosition, chunkAad, chunkNonce, GCM_TAG_BYTES } from '../crypto/index.ts';
import { CHUNK_SIZE_BYTES } from '../limits.ts';
import { type ChunkOpenFailure, openChunkInto } from './chunk-open.ts';
import type { FrameList } from './chunk-wire.ts';

/** A chunk answer to open: where it goes in its shard. */
export interface ChunkPlacement {
  readonly position: ChunkPosition;
  /** Byte offset of the chunk in the shard, and the plaintext length the manifest implies. */
  readonly offset: number;
  readonly expectedLength: number;
  /** Byte length of the whole shard. */
  readonly shardLength: number;
}

/** An opened chunk's Merkle leaf (computed over exactly the plaintext written into the shard), or why it was refused. */
export type ChunkVerdict =
  | { readonly leaf: Uint8Array; readonly failure?: undefined }
  | { readonly leaf?: undefined; readonly failure: ChunkOpenFailure };

/** One lane's way to the checks: one chunk in flight at a time (a lane awaits each verdict before its next fetch). */
export interface VerifierLane {
  open(chunk: ChunkPlacement, sealed: FrameList): Promise<ChunkVerdict>;
}

/**
 * The fetch path's chunk checks: each answer is opened with AES-256-GCM into its shard and its chunk leaf computed
 * over the plaintext written; the caller compares the shard root over the leaves with the manifest's, then takes the
 * shard. A chunk opened again (after a refusal or a root mismatch) overwrites its bytes and its leaf.
 */
export interface ChunkVerifier {
  lane(): VerifierLane;
  /** The shard's plaintext, handed over (the verifier forgets it). Only after every chunk of it was opened. */
  take(shardIndex: number): Promise<Uint8Array>;
  /** Ends the verifier (the worker thread, if any); pending opens reject. */
  close(): Promise<void>;
}

/**
 * Fetches of at least this many bytes check chunks in a worker thread; smaller ones in the calling thread (a worker
 * takes tens of milliseconds to start, a few chunks less than that to check).
 */
export const VERIFY_WORKER_MIN_BYTES = 1024 * 1024;

/** The largest sealed chunk a lane's slot holds (the chunk wire's frame bound keeps answers below it). */
const SLOT_BYTES = CHUNK_SIZE_BYTES + GCM_TAG_BYTES + 64;

/**
 * The verifier for a fetch of `bytesToFetch` bytes under `key`: a worker thread for a bulk fetch, so GCM and keccak
 * (more CPU than the transfer itself) overlap with the transfer on another core and their garbage stays out of the
 * fetching thread's heap; in the calling thread for a small one.
 */
export function createChunkVerifier(key: Uint8Array, bytesToFetch: number): ChunkVerifier {
  return bytesToFetch >= VERIFY_WORKER_MIN_BYTES ? new WorkerVerifier(key) : new InThreadVerifier(key);
}

/** The checks in the calling thread: `openChunkInto` and `chunkLeaf`. */
export class InThreadVerifier implements ChunkVerifier {
  readonly #key: Uint8Array;
  readonly #shards = new Map<number, Uint8Array>();

  constructor(key: Uint8Array) {
    this.#key = key;
  }

  lane(): VerifierLane {
    return { open: async (chunk, sealed) => this.#open(chunk, sealed) };
  }

  #open(chunk: ChunkPlacement, sealed: FrameList): ChunkVerdict {
    let target = this.#shards.get(chunk.position.shardIndex);
    if (!target) {
      target = new Uint8Array(chunk.shardLength);
      this.#shards.set(chunk.position.shardIndex, target);
    }
    const failure = openChunkInto(this.#key, chunk.position, sealed, target, chunk.offset, chunk.expectedLength);
    if (failure) return { failure };
    const plain = target.subarray(chunk.offset, chunk.offset + chunk.expectedLength);
    return { leaf: chunkLeaf(chunk.position.chunkIndex, plain) };
  }

  async take(shardIndex: number): Promise<Uint8Array> {
    const bytes = this.#shards.get(shardIndex) ?? new Uint8Array(0);
    this.#shards.delete(shardIndex);
    return bytes;
  }

  async close(): Promise<void> {
    this.#shards.clear();
  }
}

interface WorkerReply {
  readonly id: number;
  readonly leaf?: Uint8Array;
  readonly failure?: ChunkOpenFailure;
  readonly bytes?: Uint8Array;
  readonly error?: string;
}

/**
 * The checks in a worker thread (chunk-verify-worker.mjs). Each lane copies its answer's pieces into a shared slot of
 * its own (a memcpy, no allocation per chunk) and posts where it goes; shards are put together in the worker and
 * transferred back whole, so the plaintext is never copied between threads.
 */
export class WorkerVerifier implements ChunkVerifier {
  readonly #worker: Worker;
  readonly #pending = new Map<number, { resolve(reply: WorkerReply): void; reject(error: unknown): void }>();
  #nextId = 0;
  #failure: AicError | undefined;

  constructor(key: Uint8Array) {
    this.#worker = new Worker(new URL('./chunk-verify-worker.mjs', import.meta.url), { workerData: { key } });
    this.#worker.on('message', (reply: WorkerReply) => {
      const pending = this.#pending.get(reply.id);
      this.#pending.delete(reply.id);
      if (reply.error === undefined) pending?.resolve(reply);
      else pending?.reject(this.#failed(new Error(reply.error)));
    });
    this.#worker.on('error', (cause) => this.#failed(cause));
    this.#worker.on('exit', () => this.#failed(new Error('the chunk verify worker exited')));
  }

  lane(): VerifierLane {
    const slot = new SharedArrayBuffer(SLOT_BYTES);
    const view = new Uint8Array(slot);
    return {
      open: async (chunk, sealed) => {
        if (sealed.byteLength > SLOT_BYTES) return { failure: 'chunk-length-mismatch' };
        let at = 0;
        for (const piece of sealed) {
          view.set(piece, at);
          at += piece.byteLength;
        }
        const reply = await this.#request({
          op: 'open',
          slot,
          sealedLength: sealed.byteLength,
          shard: chunk.position.shardIndex,
          shardLength: chunk.shardLength,
          offset: chunk.offset,
          expectedLength: chunk.expectedLength,
          nonce: chunkNonce(chunk.position),
          aad: chunkAad(chunk.position),
          leafPrefix: chunkLeafPrefix(chunk.position.chunkIndex),
        });
        if (reply.failure !== undefined) return { failure: reply.failure };
        return { leaf: reply.leaf as Uint8Array };
      },
    };
  }

  async take(shardIndex: number): Promise<Uint8Array> {
    return (await this.#request({ op: 'take', shard: shardIndex })).bytes ?? new Uint8Array(0);
  }

  async close(): Promise<void> {
    this.#failed(new Error('the chunk verifier is closed'));
    await this.#worker.terminate();
  }

  #request(message: Record<string, unknown>): Promise<WorkerReply> {
    if (this.#failure) return Promise.reject(this.#failure);
    const id = this.#nextId++;
    return new Promise((resolve, reject) => {
      this.#pending.set(id, { resolve, reject });
      this.#worker.postMessage({ id, ...message });
    });
  }

  /** Ends every pending request with the verifier's failure (the first one seen). */
  #failed(cause: unknown): AicError {
    this.#failure ??= new AicError('DATA_CHUNK_FETCH_FAILED', 'the chunk checks failed in their worker thread', {
      cause,
    });
    for (const pending of this.#pending.values()) pending.reject(this.#failure);
    this.#pending.clear();
    return this.#failure;
  }
}
