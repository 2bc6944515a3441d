import { afterEach, describe, expect, it, vi } from 'vitest';
import { AicError, isAicError } from '../../src/errors/index.ts';
import { backoffMs, pause, retry, sleep } from '../../src/retry.ts';

describe('retry', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('retries until the task succeeds, waiting base × factor^n with no jitter', async () => {
    vi.useFakeTimers();
    const waits: number[] = [];
    let calls = 0;
    const done = retry(
      async () => {
        calls++;
        if (calls < 4) throw new Error('fetch failed');
        return 'ok';
      },
      { baseMs: 100, factor: 3, jitter: 0, onRetry: ({ delayMs }) => waits.push(delayMs) },
    );
    await vi.runAllTimersAsync();
    await expect(done).resolves.toBe('ok');
    expect(calls).toBe(4);
    expect(waits).toEqual([100, 300, 900]);
  });

  it('rethrows the last error once the attempts are used up', async () => {
    vi.useFakeTimers();
    let calls = 0;
    const done = retry(
      async (attempt) => {
        calls++;
        throw new Error(`failure ${attempt}`);
      },
      { attempts: 3, baseMs: 10 },
    );
    done.catch(() => undefined);
    await vi.runAllTimersAsync();
    await expect(done).rejects.toThrow('failure 3');
    expect(calls).toBe(3);
  });

  it('does not retry an error the predicate calls final', async () => {
    let calls = 0;
    const refusal = new AicError('CHECKPOINT_ACCESS_DENIED', 'no');
    await expect(
      retry(
        async () => {
          calls++;
          throw refusal;
        },
        { retryable: (e) => !isAicError(e, 'CHECKPOINT_ACCESS_DENIED') },
      ),
    ).rejects.toBe(refusal);
    expect(calls).toBe(1);
  });

  it('gives up before a wait that would pass the deadline', async () => {
    vi.useFakeTimers();
    let calls = 0;
    const done = retry(
      async () => {
        calls++;
        throw new Error('timeout');
      },
      { attempts: Number.POSITIVE_INFINITY, deadlineMs: 1_000, baseMs: 200, factor: 2, jitter: 0 },
    );
    done.catch(() => undefined);
    await vi.runAllTimersAsync();
    // waits 200 + 400 = 600 ms; the next (800) would end past 1 000 ms
    await expect(done).rejects.toThrow('timeout');
    expect(calls).toBe(3);
  });

  it('stops with ABORTED when the signal aborts during a wait, leaving no timer', async () => {
    vi.useFakeTimers();
    const controller = new AbortController();
    const done = retry(
      async () => {
        throw new Error('fetch failed');
      },
      { attempts: 10, baseMs: 60_000, signal: controller.signal },
    );
    done.catch(() => undefined);
    await vi.advanceTimersByTimeAsync(0);
    expect(vi.getTimerCount()).toBe(1);
    controller.abort();
    await expect(done).rejects.toSatisfy((e) => isAicError(e, 'ABORTED'));
    expect(vi.getTimerCount()).toBe(0);
  });

  it('jitter keeps each wait within [cap × (1 − jitter), cap], and caps at maxMs', () => {
    expect(backoffMs(1, { baseMs: 1_000, jitter: 0.5 }, () => 0)).toBe(500);
    expect(backoffMs(1, { baseMs: 1_000, jitter: 0.5 }, () => 0.999_999)).toBe(1_000);
    expect(backoffMs(20, { baseMs: 1_000, maxMs: 5_000, jitter: 0 })).toBe(5_000);
    const spread = new Set(Array.from({ length: 50 }, () => backoffMs(3, { baseMs: 100, jitter: 1 })));
    expect(spread.size).toBeGreaterThan(10);
    for (const ms of spread) expect(ms).toBeLessThanOrEqual(400);
  });
});

describe('sleep and pause', () => {
  it('sleep rejects with ABORTED on abort; pause resolves false', async () => {
    const controller = new AbortController();
    const s = sleep(60_000, controller.signal);
    const p = pause(60_000, controller.signal);
    controller.abort();
    await expect(s).rejects.toSatisfy((e) => isAicError(e, 'ABORTED'));
    await expect(p).resolves.toBe(false);
    await expect(pause(1)).resolves.toBe(true);
  });
});
