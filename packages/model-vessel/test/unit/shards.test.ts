import { describe, expect, it } from 'vitest';
import { evenRanges, foldGradients, foldInto, microbatchesOfRank, microbatchRanges } from '../../src/index.ts';

describe('sharding a step', () => {
  it('cuts a batch into contiguous microbatches covering it exactly, short batches leaving some empty', () => {
    expect(microbatchRanges(32, 6).map((r) => r.end - r.start)).toEqual([5, 5, 6, 5, 5, 6]);
    expect(microbatchRanges(3, 6).map((r) => r.end - r.start)).toEqual([0, 1, 0, 1, 0, 1]);
    for (const [n, m] of [
      [32, 6],
      [7, 7],
      [1, 4],
    ] as const) {
      const ranges = microbatchRanges(n, m);
      expect(ranges[0]?.start).toBe(0);
      expect(ranges.at(-1)?.end).toBe(n);
      for (const [i, r] of ranges.slice(1).entries()) expect(r.start).toBe(ranges[i]?.end);
    }
  });

  it('gives each rank a contiguous run of microbatches, in rank order', () => {
    expect([0, 1, 2].map((r) => microbatchesOfRank(6, 3, r))).toEqual([
      { start: 0, end: 2 },
      { start: 2, end: 4 },
      { start: 4, end: 6 },
    ]);
    expect([0, 1].map((r) => microbatchesOfRank(5, 2, r))).toEqual(evenRanges(5, 2));
  });

  it('folds in microbatch order, so a chain of ranks gives the one-process sum bit for bit', () => {
    // values whose float32 sum depends on the order: (1e8 + 1) − 1e8 = 0 but 1e8 − 1e8 + 1 = 1
    const g = [
      Float32Array.of(1e8, 0.1),
      Float32Array.of(1, 0.2),
      Float32Array.of(-1e8, 0.3),
      Float32Array.of(3, 1e-9),
    ];
    const whole = foldGradients(g, 2);
    // rank 0 folds g0, g1; rank 1 continues the partial with g2, g3
    const partial = foldGradients(g.slice(0, 2), 2);
    for (const gi of g.slice(2)) foldInto(partial, gi);
    expect(Buffer.from(partial.buffer)).toEqual(Buffer.from(whole.buffer));
    // a different order (rank 1's local sum added to rank 0's) is not the same bits: the order matters
    const rank1Sum = foldGradients(g.slice(2), 2);
    const other = foldGradients(g.slice(0, 2), 2);
    foldInto(other, rank1Sum);
    expect(Buffer.from(other.buffer)).not.toEqual(Buffer.from(whole.buffer));
  });

  it('folds chunk by chunk to the same result as whole vectors', () => {
    const g = Array.from({ length: 5 }, (_, j) =>
      Float32Array.from({ length: 10 }, (_, i) => Math.sin(i * 7 + j) * 10 ** (j - 2)),
    );
    const whole = foldGradients(g, 10);
    const chunked = new Float32Array(10);
    for (const [start, end] of [
      [0, 3],
      [3, 7],
      [7, 10],
    ] as const)
      for (const gi of g) foldInto(chunked, gi, start, end);
    expect(Buffer.from(chunked.buffer)).toEqual(Buffer.from(whole.buffer));
  });
});
