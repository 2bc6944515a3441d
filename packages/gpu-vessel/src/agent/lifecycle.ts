/**
 * One lifecycle for the job roles (js-libp2p `Startable`): async `start()` and `stop()`. A role keeps what it starts
 * in a `RoleScope` — its abort signal, timers, subscriptions, protocol handlers, background tasks — and `stop()`
 * (the scope's `close`) undoes all of it: no new work, the signal aborts the work in flight, which it then awaits
 * for a bounded time. A `start()` that throws closes the scope too, so a failed role leaves nothing behind.
 */
import { pause } from '@aic/core';
import { type AgentLogger, errorLine } from './context.ts';

export interface Startable {
  start(): Promise<void>;
  stop(): Promise<void>;
}

/** How long `stop()` waits for work in flight after aborting it. */
export const STOP_GRACE_MS = 5_000;

export class RoleScope {
  readonly #controller = new AbortController();
  readonly #tasks = new Set<Promise<void>>();
  readonly #cleanups: (() => void | Promise<void>)[] = [];
  #closing: Promise<void> | undefined;

  constructor(
    private readonly name: string,
    private readonly log: AgentLogger,
  ) {}

  get signal(): AbortSignal {
    return this.#controller.signal;
  }

  get stopped(): boolean {
    return this.#controller.signal.aborted;
  }

  /** Registers something to undo on close (unsubscribe, unhandle); run in reverse order of registration. */
  defer(cleanup: () => void | Promise<void>): void {
    this.#cleanups.push(cleanup);
  }

  /** Runs `fn` every `ms` until close. */
  every(ms: number, fn: () => void): void {
    const timer = setInterval(() => {
      if (!this.stopped) fn();
    }, ms);
    this.defer(() => clearInterval(timer));
  }

  /** A one-shot timer cleared on close; returns its cancel function. */
  after(ms: number, fn: () => void): () => void {
    const timer = setTimeout(fn, ms);
    this.defer(() => clearTimeout(timer));
    return () => clearTimeout(timer);
  }

  /** Runs `task` as tracked work in flight: close waits for it, and its failure is logged, never unhandled
   * (an error after close is the abort, not worth a line). */
  spawn(what: string, task: (signal: AbortSignal) => Promise<unknown>, fields: object = {}): Promise<void> {
    if (this.stopped) return Promise.resolve();
    const run = (async () => {
      try {
        await task(this.signal);
      } catch (error) {
        if (!this.stopped) this.log.error({ ...fields, err: errorLine(error) }, `${this.name}: ${what} failed`);
      }
    })();
    this.#tasks.add(run);
    void run.finally(() => this.#tasks.delete(run));
    return run;
  }

  /** Work in flight now (for tests and stop logs). */
  get inFlight(): number {
    return this.#tasks.size;
  }

  /** Aborts, undoes every registration (reverse order), then waits up to `graceMs` for the work in flight. */
  close(graceMs = STOP_GRACE_MS): Promise<void> {
    this.#closing ??= (async () => {
      this.#controller.abort();
      for (const cleanup of this.#cleanups.reverse()) {
        try {
          await cleanup();
        } catch (error) {
          this.log.warn({ err: errorLine(error) }, `${this.name}: cleanup failed`);
        }
      }
      this.#cleanups.length = 0;
      if (this.#tasks.size === 0) return;
      const settled = Promise.allSettled([...this.#tasks]).then(() => true);
      const grace = new AbortController();
      const inTime = await Promise.race([settled, pause(graceMs, grace.signal).then(() => false)]);
      grace.abort();
      if (!inTime) this.log.warn({ tasks: this.#tasks.size }, `${this.name}: work still in flight after ${graceMs} ms`);
    })();
    return this.#closing;
  }
}

/** Starts `roles` in order; if one fails, stops the ones started (reverse order) and rethrows. Returns `stop`, which
 * stops them all in reverse order. */
export async function startAll(roles: readonly Startable[]): Promise<() => Promise<void>> {
  const started: Startable[] = [];
  const stopAll = async () => {
    for (const role of started.reverse()) await role.stop().catch(() => undefined);
    started.length = 0;
  };
  try {
    for (const role of roles) {
      try {
        await role.start();
      } catch (error) {
        await role.stop().catch(() => undefined);
        throw error;
      }
      started.push(role);
    }
  } catch (error) {
    await stopAll();
    throw error;
  }
  return stopAll;
}
