import { AicError } from '@aic/core';

/** A promise and its resolver (Promise.withResolvers is missing on Node 20 and in this lib target). */
function createWake(): { promise: Promise<void>; resolve: () => void } {
  let resolve!: () => void;
  const promise = new Promise<void>((r) => {
    resolve = r;
  });
  return { promise, resolve };
}

/** One chunk to fetch, and the holders it must not be asked of again (they lacked it or served it bad). */
export interface ChunkTask {
  readonly shard: number;
  readonly chunk: number;
  readonly excluded: Set<string>;
}

/**
 * The shared work of a multi-holder fetch (work stealing): every holder's lanes take the next chunk they may fetch,
 * so a fast holder takes more. Fresh chunks come in dataset order (shards complete early, one after another);
 * retried chunks come first and skip the holders they exclude. The fetch fails when a chunk is excluded by every
 * live holder.
 */
export class ChunkScheduler {
  readonly #fresh: ChunkTask[] = [];
  #head = 0;
  readonly #retries: ChunkTask[] = [];
  readonly #live = new Set<string>();
  #inFlight = 0;
  #wake = createWake();
  failure: unknown;

  constructor(tasks: readonly ChunkTask[], holders: Iterable<string>) {
    this.#fresh.push(...tasks);
    for (const h of holders) this.#live.add(h);
  }

  /** True once nothing is queued or in flight (or the fetch failed): lanes may leave. */
  get finished(): boolean {
    return this.failure !== undefined || (this.#inFlight === 0 && this.#queued() === 0);
  }

  /** The next chunk `holder` may fetch (counted in flight until `settle`), or undefined for now. */
  take(holder: string): ChunkTask | undefined {
    if (this.failure !== undefined) return undefined;
    const retry = this.#retries.findIndex((t) => !t.excluded.has(holder));
    let task: ChunkTask | undefined;
    if (retry >= 0) task = this.#retries.splice(retry, 1)[0];
    else if (this.#head < this.#fresh.length) task = this.#fresh[this.#head++];
    if (task) this.#inFlight++;
    return task;
  }

  /** A taken chunk is done with (accepted, or put back with `requeue` first). */
  settle(): void {
    this.#inFlight--;
    this.#notify();
  }

  /** Puts a chunk back for another holder (its `excluded` already updated). */
  requeue(task: ChunkTask): void {
    this.#retries.push(task);
    this.#checkServable();
    this.#notify();
  }

  /** A holder is gone (unreachable, failed, or dropped as bad): its exclusions now cover everything. */
  holderGone(holder: string): void {
    this.#live.delete(holder);
    this.#checkServable();
    this.#notify();
  }

  /** Ends the fetch with `error`: lanes leave at their next step. */
  fail(error: unknown): void {
    this.failure ??= error;
    this.#notify();
  }

  /** Resolves at the next change (a chunk settled or requeued, a holder gone, a failure). */
  changed(): Promise<void> {
    return this.#wake.promise;
  }

  #queued(): number {
    return this.#fresh.length - this.#head + this.#retries.length;
  }

  #checkServable(): void {
    if (this.#live.size === 0 && this.#queued() > 0) {
      this.fail(new AicError('DATA_CHUNK_UNAVAILABLE', 'no holder is left to fetch the remaining chunks from'));
      return;
    }
    const stuck = this.#retries.find((t) => [...this.#live].every((h) => t.excluded.has(h)));
    if (stuck) {
      this.fail(
        new AicError('DATA_CHUNK_UNAVAILABLE', `no holder returned a valid chunk ${stuck.chunk}`, {
          details: { shard: stuck.shard, chunk: stuck.chunk, asked: stuck.excluded.size },
        }),
      );
    }
  }

  #notify(): void {
    const wake = this.#wake;
    this.#wake = createWake();
    wake.resolve();
  }
}
