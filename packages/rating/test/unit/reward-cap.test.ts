import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { defaultRatingParams, maxRewardWeiPerScore, rateEpoch, rewardsForEpoch } from '../../src/index.ts';
import { AIC, createEventLog } from './fixtures.ts';

describe('the reward cap', () => {
  it('never pays a contributor more than maxRewardBpsOfUsage of its eligible usage', () => {
    const payment = fc.record({
      resource: fc.integer({ min: 0, max: 5 }),
      payer: fc.integer({ min: 0, max: 9 }),
      amount: fc.bigInt({ min: 1n, max: 1_000_000n * AIC }),
      units: fc.bigInt({ min: 0n, max: 10n ** 9n }),
      rating: fc.integer({ min: 0, max: 100 }),
    });
    const arbitrary = fc.record({
      payments: fc.array(payment, { minLength: 1, maxLength: 30 }),
      emissionAic: fc.bigInt({ min: 0n, max: 10n ** 10n }),
      cap: fc.bigInt({ min: 1n, max: 249n }),
    });
    fc.assert(
      fc.property(arbitrary, ({ payments, emissionAic, cap }) => {
        const log = createEventLog();
        for (let r = 0; r < 6; r++) log.register(`r${r}`, r % 2 ? 'gpu' : 'model', `0xowner${r}`);
        for (let p = 0; p < 10; p++) log.stake(`0xpayer${p}`, BigInt(p) * AIC);
        for (const p of payments) {
          log.pay(`r${p.resource}`, `0xpayer${p.payer}`, p.amount);
          log.work(`r${p.resource}`, `0xpayer${p.payer}`, p.units);
          log.rate(`r${p.resource}`, `0xpayer${p.payer}`, p.rating);
        }
        const params = defaultRatingParams(0, { emissionWei: emissionAic * AIC, maxRewardBpsOfUsage: cap });
        const rating = rateEpoch(log.events, params);
        const { payouts } = rewardsForEpoch(rating.scores, params.emissionWei, maxRewardWeiPerScore(params));
        for (const r of rating.resources) {
          expect(payouts.get(r.owner) ?? 0n).toBeLessThanOrEqual((r.eligibleUsageWei * cap) / 10_000n);
        }
      }),
      { numRuns: 200 },
    );
  });

  it('lets a 30 % stake cabal that pays for its own praise gain nothing over the honest median', () => {
    const log = createEventLog();
    log.register('dataset:cabal', 'dataset', '0xcabal-owner');
    for (const h of ['0xh1', '0xh2', '0xh3']) {
      log.stake(h, 700n * AIC);
      log.pay('dataset:cabal', h, 10n * AIC);
      log.rate('dataset:cabal', h, 45);
    }
    const honestOnly = rateEpoch(log.events, defaultRatingParams(0, { emissionWei: 0n })).resources[0]!;
    for (const c of ['0xc1', '0xc2', '0xc3']) {
      log.stake(c, 300n * AIC); // 900 of 3,000 staked: 30 %
      log.pay('dataset:cabal', c, 10n * AIC); // unrelated on paper: the cabal is not linked to the owner
      log.rate('dataset:cabal', c, 100);
    }
    const withCabal = rateEpoch(log.events, defaultRatingParams(0, { emissionWei: 0n })).resources[0]!;
    expect(honestOnly.qualityBps).toBe(2_000n + (8_000n * 4_500n) / 10_000n);
    expect(withCabal.qualityBps).toBe(honestOnly.qualityBps);
  });
});
