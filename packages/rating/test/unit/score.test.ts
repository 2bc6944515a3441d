import { describe, expect, it } from 'vitest';
import {
  computeEpochScores,
  defaultRatingParams,
  maxRewardWeiPerScore,
  rateEpoch,
  rewardsForEpoch,
} from '../../src/index.ts';
import { AIC, createEventLog, shuffled } from './fixtures.ts';

// No emission: these tests look at the resources' raw scores, not at rewards.
const params = defaultRatingParams(0, { emissionWei: 0n });
const scoreOf = (events: Parameters<typeof rateEpoch>[0], resource: string) =>
  rateEpoch(events, params).resources.find((r) => r.resource === resource)!;

describe('the contribution score', () => {
  it('counts usage paid by unrelated payers and ignores self-payment and funded Sybils', () => {
    const log = createEventLog();
    log.register('dataset:1', 'dataset', '0xowner');
    log.fund('0xowner', '0xsybil');
    log.pay('dataset:1', '0xconsumer', 100n * AIC);
    log.pay('dataset:1', '0xowner', 500n * AIC);
    log.pay('dataset:1', '0xsybil', 500n * AIC);
    const r = scoreOf(log.events, 'dataset:1');
    expect(r.eligibleUsageWei).toBe(100n * AIC);
    expect(r.excludedUsageWei).toBe(1_000n * AIC);
  });

  it('ignores a circular flow through several hops within the epoch', () => {
    const log = createEventLog();
    log.register('model:1', 'model', '0xowner');
    log.fund('0xowner', '0xmule1');
    log.fund('0xmule1', '0xmule2');
    log.pay('model:1', '0xmule2', 50n * AIC);
    expect(scoreOf(log.events, 'model:1').eligibleUsageWei).toBe(0n);
  });

  it('credits verified work only up to what unrelated payers paid', () => {
    const log = createEventLog();
    log.register('gpu:1', 'gpu', '0xprovider');
    log.pay('gpu:1', '0xrequester', 10n * AIC);
    log.work('gpu:1', '0xrequester', 1_000n);
    log.work('gpu:1', '0xprovider', 1_000n);
    const r = scoreOf(log.events, 'gpu:1');
    expect(r.workCreditWei).toBe(10n * AIC);
    // base = usage·0.5 + work·0.5 = 10 AIC; unrated usage counts at 100 → quality 1; reliability 1.
    expect(r.score).toBe((10n * AIC) / params.scoreUnitWei);
  });

  it('zeroes a resource with proven fraud and records the slash; an honest fault lowers reliability only', () => {
    const log = createEventLog();
    log.register('gpu:cheat', 'gpu', '0xcheat');
    log.register('gpu:flaky', 'gpu', '0xflaky');
    for (const r of ['gpu:cheat', 'gpu:flaky']) log.pay(r, '0xrequester', 10n * AIC);
    log.fraud('gpu:cheat', 100n * AIC);
    log.outcome('gpu:flaky', true);
    log.outcome('gpu:flaky', true);
    log.outcome('gpu:flaky', true);
    log.outcome('gpu:flaky', false);
    const rating = rateEpoch(log.events, params);
    expect(rating.resources.find((r) => r.resource === 'gpu:cheat')!.score).toBe(0n);
    expect(rating.slashes).toEqual([{ epoch: 0, resource: 'gpu:cheat', owner: '0xcheat', slashedWei: 100n * AIC }]);
    const flaky = rating.resources.find((r) => r.resource === 'gpu:flaky')!;
    expect(flaky.reliabilityBps).toBe(7_500n);
    expect(flaky.score).toBeGreaterThan(0n);
    expect(rating.scores.has('0xcheat')).toBe(false);
  });

  it('weights ratings only by eligible fees: a Sybil that paid nothing unrelated has no say', () => {
    const log = createEventLog();
    log.register('model:1', 'model', '0xowner');
    log.fund('0xowner', '0xsybil');
    log.stake('0xsybil', 1_000n * AIC);
    log.stake('0xconsumer', 10n * AIC);
    log.pay('model:1', '0xsybil', 1_000n * AIC);
    log.pay('model:1', '0xconsumer', 10n * AIC);
    log.rate('model:1', '0xsybil', 100);
    log.rate('model:1', '0xconsumer', 30);
    // The consumer paid all the eligible usage and rated it 30; the Sybil's 100 counts for nothing.
    expect(scoreOf(log.events, 'model:1').qualityBps).toBe(2_000n + (8_000n * 3_000n) / 10_000n);
  });

  it('recomputes identical scores from the same events in any arrival order', () => {
    const log = createEventLog(3);
    for (let i = 0; i < 20; i++) {
      log.register(`r${i}`, i % 2 ? 'gpu' : 'dataset', `0xowner${i % 7}`);
      log.stake(`0xc${i}`, BigInt(i + 1) * AIC);
    }
    for (let i = 0; i < 200; i++) {
      log.pay(`r${i % 20}`, `0xc${i % 13}`, BigInt(1 + (i % 9)) * AIC);
      log.rate(`r${i % 20}`, `0xc${i % 13}`, (i * 37) % 101);
      log.outcome(`r${i % 20}`, i % 11 !== 0);
    }
    const p = defaultRatingParams(3);
    const reference = computeEpochScores(log.events, p);
    for (const seed of [1, 2, 3]) {
      expect([...computeEpochScores(shuffled(log.events, seed), p)]).toEqual([...reference]);
    }
    expect([...reference.keys()]).toEqual([...reference.keys()].sort());
  });

  it('scores only contributors: in a thin epoch the cap keeps the emission no value supports in the pool', () => {
    const log = createEventLog();
    log.register('gpu:1', 'gpu', '0xprovider');
    log.pay('gpu:1', '0xrequester', 1n * AIC);
    const params = defaultRatingParams(0);
    const rating = rateEpoch(log.events, params);
    expect([...rating.scores.keys()]).toEqual(['0xprovider']);
    const rewards = rewardsForEpoch(rating.scores, params.emissionWei, maxRewardWeiPerScore(params));
    expect(rewards.payouts.get('0xprovider')).toBeLessThanOrEqual((1n * AIC * 200n) / 10_000n);
    expect(rewards.unbackedWei).toBeGreaterThan(params.emissionWei - AIC);
  });

  it('rejects parameters whose reward cap reaches the fee', () => {
    expect(() => rateEpoch([], defaultRatingParams(0, { maxRewardBpsOfUsage: 250n }))).toThrow(
      expect.objectContaining({ code: 'RATING_INVALID_PARAMS' }),
    );
  });
});
