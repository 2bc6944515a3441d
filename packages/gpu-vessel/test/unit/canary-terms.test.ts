/**
 * Canaries look like real jobs (issue 15): their visible terms are copied from a recent real job and their segment
 * count matches it; their issue times are exponential (memoryless).
 */
import { describe, expect, it } from 'vitest';
import { canaryTermsLike, FALLBACK_TERMS, nextCanaryDelayMs, pickJobToMimic } from '../../src/agent/canary-terms.ts';
import { fundingFor } from '../../src/agent/fresh-payers.ts';

const AIC = 10n ** 18n;
const real = [
  { providerPriceWei: 3n * AIC, verifierFeeWei: AIC / 2n, checkpointCount: 9, deadlineSec: 1_800 },
  { providerPriceWei: 40n * AIC, verifierFeeWei: 2n * AIC, checkpointCount: 100, deadlineSec: 7_200 },
];

describe('canary terms', () => {
  it('copies the budget, fee and deadline of the real job drawn and matches its segment count', () => {
    for (const [u, like] of [
      [0.1, real[0]!],
      [0.9, real[1]!],
    ] as const) {
      expect(pickJobToMimic(real, () => u)).toBe(like);
      const t = canaryTermsLike(
        pickJobToMimic(real, () => u),
        8,
      );
      expect(t.providerBudgetWei).toBe(like.providerPriceWei);
      expect(t.verifierFeeWei).toBe(like.verifierFeeWei);
      expect(t.deadlineSec).toBe(like.deadlineSec);
      expect(Math.ceil((t.epochs * 8) / t.commitEverySteps)).toBe(like.checkpointCount);
    }
  });

  it('falls back to the preset small job on a network with no real job yet', () => {
    expect(pickJobToMimic([], () => 0.5)).toBe(FALLBACK_TERMS);
    const t = canaryTermsLike(FALLBACK_TERMS, 8);
    expect(t.providerBudgetWei).toBe(FALLBACK_TERMS.providerPriceWei);
    expect(Math.ceil((t.epochs * 8) / t.commitEverySteps)).toBe(FALLBACK_TERMS.checkpointCount);
  });

  it('draws exponential waits: mean as asked, and as likely to be short after a long wait (memoryless)', () => {
    let state = 7;
    const random = () => {
      state = (state * 48_271) % 2_147_483_647;
      return state / 2_147_483_647;
    };
    const waits = Array.from({ length: 20_000 }, () => nextCanaryDelayMs(1_000, random()));
    const mean = waits.reduce((a, b) => a + b, 0) / waits.length;
    expect(mean).toBeGreaterThan(950);
    expect(mean).toBeLessThan(1_050);
    const over = (t: number) => waits.filter((w) => w > t).length;
    // P(W > 2 s | W > 1 s) = P(W > 1 s) = e^-1 for an exponential.
    expect(over(2_000) / over(1_000)).toBeCloseTo(over(1_000) / waits.length, 1);
  });

  it('funds a payer with more than its escrow, in whole AIC, never the exact amount', () => {
    const need = 5n * AIC + 123n;
    for (const u of [0, 0.5, 0.999]) {
      const funded = fundingFor(need, () => u);
      expect(funded % AIC).toBe(0n);
      expect(funded).toBeGreaterThan((need * 12n) / 10n - 1n);
      expect(funded).toBeLessThanOrEqual(need * 2n + AIC);
    }
  });
});
