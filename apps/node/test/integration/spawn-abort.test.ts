/**
 * Issue 18: a devnet told to stop while nodes were still starting left those nodes running (spawnNodeProcess took no
 * AbortSignal before ready). Real child processes that never print the ready line.
 */
import { isAicError } from '@aic/core';
import { describe, expect, it } from 'vitest';
import { spawnNodeProcess } from '../../src/spawn.ts';

/** A stand-in for a node still starting: prints one line, then never becomes ready. */
const starting = (ignoreSigterm: boolean) => [
  '-e',
  `${ignoreSigterm ? "process.on('SIGTERM', () => {});" : ''} console.log('booting'); setInterval(() => {}, 1000);`,
];

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

async function abortWhileStarting(ignoreSigterm: boolean): Promise<unknown> {
  const controller = new AbortController();
  return spawnNodeProcess({
    entry: starting(ignoreSigterm),
    args: [],
    readyTimeoutMs: 120_000,
    signal: controller.signal,
    // Abort once the child has printed something: it is running and not ready.
    onLog: (line) => {
      if (line.msg === 'booting') controller.abort();
    },
  }).then(
    () => undefined,
    (error: unknown) => error,
  );
}

describe('spawnNodeProcess aborted before the node is ready', () => {
  it('ends the child and rejects with NODE_ABORTED', { timeout: 30_000 }, async () => {
    const error = await abortWhileStarting(false);
    expect(isAicError(error) && error.code).toBe('NODE_ABORTED');
    const pid = isAicError(error) ? Number(error.details.pid) : 0;
    expect(pid).toBeGreaterThan(0);
    expect(isAlive(pid)).toBe(false);
  });

  it('kills a child that ignores SIGTERM', { timeout: 30_000 }, async () => {
    const error = await abortWhileStarting(true);
    expect(isAicError(error) && error.code).toBe('NODE_ABORTED');
    expect(isAlive(isAicError(error) ? Number(error.details.pid) : 0)).toBe(false);
  });

  it('does not start a child when already aborted', async () => {
    const error = await spawnNodeProcess({ entry: starting(false), args: [], signal: AbortSignal.abort() }).catch(
      (e: unknown) => e,
    );
    expect(isAicError(error) && error.code).toBe('NODE_ABORTED');
  });
});
