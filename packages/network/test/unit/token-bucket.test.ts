import { describe, expect, it } from 'vitest';
import { TokenBuckets } from '../../src/scoring/token-bucket.ts';

describe('TokenBuckets', () => {
  it('allows a burst, then the sustained rate, per key', () => {
    const buckets = new TokenBuckets(10, 3);
    expect([0, 0, 0, 0].map(() => buckets.take('a', 0))).toEqual([true, true, true, false]);
    expect(buckets.take('b', 0)).toBe(true);
    expect(buckets.take('a', 50)).toBe(false);
    expect(buckets.take('a', 100)).toBe(true);
    expect(buckets.take('a', 100)).toBe(false);
  });

  it('never refills above the burst', () => {
    const buckets = new TokenBuckets(1000, 2);
    buckets.take('a', 0);
    const later = [0, 0, 0].map(() => buckets.take('a', 60_000));
    expect(later).toEqual([true, true, false]);
  });
});
