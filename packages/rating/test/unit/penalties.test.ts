import { describe, expect, it } from 'vitest';
import { type ChainLog, defaultRatingParams, rateEpoch, ratingEventsFromLogs, scoreSetOf } from '../../src/index.ts';
import { AIC, createEventLog } from './fixtures.ts';

describe('consumer ratings and penalties', () => {
  it('penalizes worthless use: a resource its paying, staked consumers rate below the threshold', () => {
    const log = createEventLog();
    log.register('model:junk', 'model', '0xjunk-owner');
    log.register('model:good', 'model', '0xgood-owner');
    for (const c of ['0xc1', '0xc2', '0xc3']) {
      log.stake(c, 1_000n * AIC);
      log.pay('model:junk', c, 100n * AIC);
      log.rate('model:junk', c, 5);
      log.pay('model:good', c, 100n * AIC);
      log.rate('model:good', c, 90);
    }
    const rating = rateEpoch(log.events, defaultRatingParams(0));
    // What 300 AIC of usage would earn at the 2 % cap, clawed back; the good model is not penalized.
    expect([...rating.penalties]).toEqual([['0xjunk-owner', 6n * AIC]]);
    expect(scoreSetOf(rating).penalized).toEqual(['0xjunk-owner']);
    const junk = rating.resources.find((r) => r.resource === 'model:junk')!;
    const good = rating.resources.find((r) => r.resource === 'model:good')!;
    expect(junk.score).toBeLessThan(good.score);
  });

  it('penalizes proven fraud and ignores ratings by consumers who did not pay', () => {
    const log = createEventLog();
    log.register('gpu:1', 'gpu', '0xprovider');
    log.pay('gpu:1', '0xrequester', 50n * AIC);
    log.stake('0xstranger', 10_000n * AIC);
    log.rate('gpu:1', '0xstranger', 0); // never paid: no weight
    expect(rateEpoch(log.events, defaultRatingParams(0)).penalties.size).toBe(0);
    log.fraud('gpu:1', 100n * AIC);
    const rating = rateEpoch(log.events, defaultRatingParams(0));
    expect(rating.scores.get('0xprovider') ?? 0n).toBe(0n);
    expect(rating.penalties.get('0xprovider')).toBe(1n * AIC);
  });

  it("maps RewardsPool's Rated and rater stake events to ratings and stakes", () => {
    const at = (eventName: string, args: Record<string, unknown>, i: number): ChainLog => ({
      contract: 'RewardsPool',
      eventName,
      args,
      blockNumber: BigInt(i),
      logIndex: 0,
      timestamp: 10n,
    });
    const provider = '0x00000000000000000000000000000000000000BB';
    const events = ratingEventsFromLogs(
      [
        at('RaterStaked', { rater: '0xAA', amount: 5n, stake: 5n }, 1),
        at('Rated', { rater: '0xAA', kind: 0, id: 7n, rating: 40 }, 2),
        at('Rated', { rater: '0xAA', kind: 1, id: BigInt(provider), rating: 90 }, 3),
        at('Rated', { rater: '0xAA', kind: 9, id: 1n, rating: 90 }, 4),
        at('RaterUnstaked', { rater: '0xAA', amount: 2n, stake: 3n }, 5),
      ],
      { genesis: 0n, epochDurationSec: 3_600n },
    );
    expect(events.map((e) => ('resource' in e ? e.resource : e.type))).toEqual([
      'StakeSet',
      'asset:7',
      `gpu:${provider.toLowerCase()}`,
      'StakeSet',
    ]);
    expect(events[3]).toMatchObject({ type: 'StakeSet', account: '0xaa', stakeWei: 3n });
  });
});
