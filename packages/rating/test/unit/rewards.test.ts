import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { maxDustWei, rewardsForEpoch } from '../../src/index.ts';

describe('rewardsForEpoch: RewardsPool’s arithmetic in TypeScript (the contract itself is not run here)', () => {
  it('computes rate = emission·1e18/total and paid = score·rate/1e18 (values worked out by hand)', () => {
    const r = rewardsForEpoch(
      new Map([
        ['0xa', 1n],
        ['0xb', 2n],
      ]),
      10n,
    );
    expect(r.rewardPerScore).toBe(3_333_333_333_333_333_333n);
    expect(r.releasedWei).toBe(9n); // the sum of what is paid (RewardsPool reserves exactly that)
    expect([...r.payouts]).toEqual([
      ['0xa', 3n],
      ['0xb', 6n],
    ]);
    expect(r.dustWei).toBe(1n);
  });

  it('releases nothing for an epoch without score', () => {
    expect(rewardsForEpoch(new Map(), 10n ** 24n).releasedWei).toBe(0n);
  });

  it('pays at most the cap per score unit and keeps the rest of the emission unreleased (values by hand)', () => {
    const r = rewardsForEpoch(
      new Map([
        ['0xa', 1_000n],
        ['0xb', 3_000n],
      ]),
      10n ** 24n,
      20_000_000n,
    );
    expect([...r.payouts]).toEqual([
      ['0xa', 2n * 10n ** 10n],
      ['0xb', 6n * 10n ** 10n],
    ]);
    expect(r.unbackedWei).toBe(10n ** 24n - 8n * 10n ** 10n);
    expect(r.dustWei).toBe(0n);
    // A cap that does not bind changes nothing.
    expect(rewardsForEpoch(new Map([['0xa', 10n ** 18n]]), 10n ** 24n, 20_000_000n).payouts.get('0xa')).toBe(
      10n ** 24n,
    );
  });

  it('pays the emission minus dust of at most n + ⌊total/1e18⌋ wei (≤ n when total ≤ 1e18)', () => {
    const score = fc.bigInt({ min: 1n, max: (1n << 128n) - 1n });
    fc.assert(
      fc.property(fc.array(score, { minLength: 1, maxLength: 40 }), fc.bigInt({ min: 0n, max: 10n ** 30n }), (s, e) => {
        const scores = new Map(s.map((v, i) => [`0x${i}`, v]));
        const r = rewardsForEpoch(scores, e, 20_000_000n);
        const total = s.reduce((a, b) => a + b, 0n);
        expect(r.totalPaidWei).toBeLessThanOrEqual(r.releasedWei);
        expect(r.releasedWei + r.dustWei + r.unbackedWei).toBe(e);
        expect(r.totalPaidWei).toBeLessThanOrEqual(total * 20_000_000n);
        expect(r.dustWei).toBeGreaterThanOrEqual(0n);
        expect(r.dustWei).toBeLessThanOrEqual(maxDustWei(s.length, total));
      }),
      { numRuns: 300 },
    );
  });
});
