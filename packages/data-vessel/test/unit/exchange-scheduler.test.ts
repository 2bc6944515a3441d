import { describe, expect, it } from 'vitest';
import { ChunkScheduler, type ChunkTask } from '../../src/exchange/chunk-scheduler.ts';

const tasks = (n: number): ChunkTask[] =>
  Array.from({ length: n }, (_, chunk) => ({ shard: 0, chunk, excluded: new Set<string>() }));

describe('ChunkScheduler (work stealing over holders)', () => {
  it('hands out chunks in order, retried ones first and never to a holder they exclude', () => {
    const s = new ChunkScheduler(tasks(3), ['a', 'b']);
    const first = s.take('a') as ChunkTask;
    expect(first.chunk).toBe(0);
    first.excluded.add('a');
    s.requeue(first);
    s.settle();
    expect(s.take('a')?.chunk).toBe(1); // the retry excludes a
    expect(s.take('b')?.chunk).toBe(0); // b gets the retry before fresh work
    expect(s.take('b')?.chunk).toBe(2);
    expect(s.take('b')).toBeUndefined();
    expect(s.finished).toBe(false);
    s.settle();
    s.settle();
    s.settle();
    expect(s.finished).toBe(true);
  });

  it('fails typed when a chunk is excluded by every live holder or no holder is left', () => {
    const s = new ChunkScheduler(tasks(2), ['a', 'b']);
    const t = s.take('a') as ChunkTask;
    t.excluded.add('a');
    s.requeue(t);
    s.holderGone('b');
    expect(s.failure).toMatchObject({ code: 'DATA_CHUNK_UNAVAILABLE' });
    expect(s.finished).toBe(true);
    expect(s.take('a')).toBeUndefined();

    const lonely = new ChunkScheduler(tasks(1), ['a']);
    lonely.holderGone('a');
    expect(lonely.failure).toMatchObject({ code: 'DATA_CHUNK_UNAVAILABLE' });
  });

  it('wakes waiting lanes on every change', async () => {
    const s = new ChunkScheduler(tasks(1), ['a', 'b']);
    const t = s.take('a') as ChunkTask;
    const woken = s.changed();
    s.requeue(t);
    await expect(woken).resolves.toBeUndefined();
  });
});
