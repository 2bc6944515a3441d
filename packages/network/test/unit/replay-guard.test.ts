import { describe, expect, it } from 'vitest';
import { ReplayGuard } from '../../src/wire/replay-guard.ts';

describe('ReplayGuard', () => {
  const guard = () => new ReplayGuard({ maxMessageAgeMs: 1_000, maxClockSkewMs: 100, maxEntries: 3 });

  it('accepts a pair once inside the window and treats sender case as the same sender', () => {
    const g = guard();
    expect(g.check('0xAb', 1, 1_000, 1_000)).toBe('fresh');
    g.remember('0xAb', 1, 1_000, 1_000);
    expect(g.check('0xab', 1, 1_000, 1_500)).toBe('replayed');
    expect(g.check('0xab', 2, 1_000, 1_500)).toBe('fresh');
  });

  it('refuses timestamps older than the window or beyond the clock skew', () => {
    const g = guard();
    expect(g.check('s', 1, 0, 1_001)).toBe('stale');
    expect(g.check('s', 1, 1_101, 1_000)).toBe('future');
    expect(g.check('s', 1, 1_100, 1_000)).toBe('fresh');
  });

  it('forgets pairs once their timestamp has left the window, so memory stays bounded', () => {
    const g = guard();
    g.remember('s', 1, 1_000, 1_000);
    g.remember('s', 2, 1_000, 1_000);
    g.remember('s', 3, 2_500, 2_500);
    expect(g.size).toBe(1);
    for (let seq = 10; seq < 20; seq++) g.remember('s', seq, 2_500, 2_500);
    expect(g.size).toBeLessThanOrEqual(3);
  });
});
