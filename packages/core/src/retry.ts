/**
 * One retry loop and one abortable sleep for every component: exponential backoff with jitter, bounded by attempts
 * and by a deadline, stopped by an AbortSignal, and told by a predicate which errors are worth another try (a refusal
 * is final, a dropped connection is not). Jitter spreads the retries of many nodes that failed at the same moment
 * (the chain's RPC went away for everyone at once), so they do not come back as one burst.
 *
 * @example
 * const job = await retry(() => ledger.market.read.jobOf([jobId]), { attempts: 6, signal, retryable: isTransient });
 */
import { AicError } from './errors/index.ts';

/** Resolves after `ms`; rejects with `ABORTED` as soon as `signal` aborts. Its timer never outlives an abort. */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) {
      reject(abortError(signal));
      return;
    }
    const onAbort = () => {
      clearTimeout(timer);
      reject(abortError(signal));
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

/** Like `sleep`, but resolves (to false) instead of rejecting on abort: for loops that just end when stopped. */
export async function pause(ms: number, signal?: AbortSignal): Promise<boolean> {
  try {
    await sleep(ms, signal);
    return true;
  } catch {
    return false;
  }
}

function abortError(signal: AbortSignal | undefined): AicError<'ABORTED'> {
  return new AicError('ABORTED', 'stopped', { cause: signal?.reason });
}

export interface RetryOptions {
  /** Most attempts in all (default 5); Infinity with a deadline retries until the deadline. */
  attempts?: number;
  /** No attempt starts later than this many ms after the first (default: no deadline). */
  deadlineMs?: number;
  /** Wait before the second attempt, before jitter (default 250 ms); each next wait is `factor` times longer. */
  baseMs?: number;
  factor?: number;
  /** Longest wait between two attempts (default 10 s). */
  maxMs?: number;
  /** Fraction of each wait that is random (0: none, 1: full jitter; default 0.5). */
  jitter?: number;
  signal?: AbortSignal;
  /** Whether `error` is worth another attempt (default: every error). */
  retryable?: (error: unknown) => boolean;
  /** Called before each wait (to log and count retries). */
  onRetry?: (info: { error: unknown; attempt: number; delayMs: number }) => void;
  /** Injected for tests. */
  random?: () => number;
  now?: () => number;
}

/** The wait before attempt `attempt + 1` (attempt counts from 1). */
export function backoffMs(attempt: number, o: RetryOptions = {}, random: () => number = Math.random): number {
  const base = o.baseMs ?? 250;
  const cap = Math.min(o.maxMs ?? 10_000, base * (o.factor ?? 2) ** (attempt - 1));
  const jitter = Math.min(1, Math.max(0, o.jitter ?? 0.5));
  return Math.round(cap * (1 - jitter + jitter * random()));
}

/**
 * Runs `task` until it succeeds, and rethrows its last error once an error is not retryable, the attempts or the
 * deadline are used up, or `signal` aborts (then `ABORTED`, with the task's last error as cause when there was one).
 */
export async function retry<T>(task: (attempt: number) => Promise<T>, options: RetryOptions = {}): Promise<T> {
  const now = options.now ?? Date.now;
  const random = options.random ?? Math.random;
  const attempts = options.attempts ?? 5;
  const until = options.deadlineMs === undefined ? Number.POSITIVE_INFINITY : now() + options.deadlineMs;
  for (let attempt = 1; ; attempt++) {
    if (options.signal?.aborted) throw abortError(options.signal);
    try {
      return await task(attempt);
    } catch (error) {
      if (options.signal?.aborted) throw new AicError('ABORTED', 'stopped', { cause: error });
      if (attempt >= attempts || (options.retryable && !options.retryable(error))) throw error;
      const delayMs = backoffMs(attempt, options, random);
      if (now() + delayMs > until) throw error;
      options.onRetry?.({ error, attempt, delayMs });
      await sleep(delayMs, options.signal);
    }
  }
}
