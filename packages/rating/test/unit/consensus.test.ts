import { describe, expect, it } from 'vitest';
import { consensusQualityBps, stakeWeightedMedian } from '../../src/index.ts';
import { AIC } from './fixtures.ts';

const vote = (rater: string, rating: number, stake: bigint, fee: bigint) => ({
  rater,
  rating,
  stakeWei: stake * AIC,
  feePaidWei: fee * AIC,
});

describe('Yuma-style rating consensus', () => {
  it('takes the rating where the cumulative stake reaches half', () => {
    expect(stakeWeightedMedian([vote('a', 90, 3n, 1n), vote('b', 40, 7n, 1n)])).toBe(40);
    expect(stakeWeightedMedian([vote('a', 90, 5n, 1n), vote('b', 40, 5n, 1n)])).toBe(40);
    expect(stakeWeightedMedian([vote('a', 90, 6n, 1n), vote('b', 40, 4n, 1n)])).toBe(90);
    expect(stakeWeightedMedian([vote('a', 90, 0n, 1n)])).toBeUndefined();
  });

  it('caps a 30 % stake cabal rating its own resource 100 at the honest consensus', () => {
    const honest = [vote('h1', 40, 35n, 10n), vote('h2', 42, 35n, 10n)];
    const cabal = [vote('c1', 100, 15n, 1_000n), vote('c2', 100, 15n, 1_000n)];
    const withCabal = consensusQualityBps([...honest, ...cabal], 50, 2_020n * AIC);
    // Whatever fee the cabal pays, its ratings are clipped to the honest median (42): quality stays below 42.
    expect(consensusQualityBps(honest, 50, 20n * AIC)).toBe(4_000n);
    expect(withCabal).toBeLessThanOrEqual(4_200n);
    expect(withCabal).toBeGreaterThanOrEqual(4_000n);
  });

  it('lets a 51 % stake majority set the consensus (the stated limit of the scheme)', () => {
    const votes = [vote('h', 40, 49n, 10n), vote('c', 100, 51n, 10n)];
    expect(consensusQualityBps(votes, 50, 20n * AIC)).toBe(7_000n);
  });

  it('clips unstaked raters to the neutral rating and returns neutral without paid ratings', () => {
    expect(consensusQualityBps([vote('sybil', 100, 0n, 50n)], 50, 50n * AIC)).toBe(5_000n);
    expect(consensusQualityBps([], 60, 10n * AIC)).toBe(6_000n);
  });

  it('counts usage nobody rated at the neutral rating, so a rating moves quality only over its own fee', () => {
    // 10 AIC rated 0 out of 40 AIC of usage, the rest unrated at 100: 75.
    expect(consensusQualityBps([vote('a', 0, 1n, 10n)], 100, 40n * AIC)).toBe(7_500n);
  });
});
