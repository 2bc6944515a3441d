import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { computeEpochScores, defaultRatingParams, maxRewardWeiPerScore, rewardsForEpoch } from '../../src/index.ts';
import { AIC, createEventLog } from './fixtures.ts';

interface World {
  honestUsage: bigint[];
  attackerHonestUsage: bigint;
  washWei: bigint;
  sybils: number;
  rating: number;
  sybilStakeAic: bigint;
  buyerRating: number;
  buyerStakeAic: bigint;
}

/** One epoch: honest resources, an attacker's model with some real buyers and wash buys by Sybils funded via a hub. */
function epochEvents(world: World, wash: boolean) {
  const log = createEventLog();
  world.honestUsage.forEach((usage, i) => {
    log.register(`model:h${i}`, 'model', `0xhonest${i}`);
    log.pay(`model:h${i}`, `0xbuyer${i}`, usage);
  });
  log.register('model:wash', 'model', '0xattacker');
  log.pay('model:wash', '0xrealbuyer', world.attackerHonestUsage);
  log.stake('0xrealbuyer', world.buyerStakeAic * AIC);
  log.rate('model:wash', '0xrealbuyer', world.buyerRating);
  if (wash) {
    for (let s = 0; s < world.sybils; s++) {
      // Funded through an exchange hub: the engine cannot see the link, so only the reward cap stands in the way.
      log.fund('0xexchange', `0xsybil${s}`, world.washWei);
      log.pay('model:wash', `0xsybil${s}`, world.washWei / BigInt(world.sybils));
      log.stake(`0xsybil${s}`, world.sybilStakeAic * AIC);
      log.rate('model:wash', `0xsybil${s}`, world.rating);
    }
  }
  return log.events;
}

const aic = (min: bigint, max: bigint) => fc.bigInt({ min: min * AIC, max: max * AIC });

describe('wash trading never pays', () => {
  // The real buyer's rating is the only honest one, so no honest rating sits above the consensus for Sybil stake to
  // unclip (README, "Limits").
  it('earns less in extra rewards than it pays in fees, for any fees, emission, volumes, stakes and ratings', () => {
    const arbitrary = fc.record({
      feeBps: fc.bigInt({ min: 2n, max: 1_000n }),
      capShare: fc.double({ min: 0.01, max: 0.99, noNaN: true }),
      emissionAic: fc.bigInt({ min: 1n, max: 10n ** 9n }),
      world: fc.record({
        honestUsage: fc.array(aic(0n, 1_000_000n), { maxLength: 6 }),
        attackerHonestUsage: aic(0n, 100_000n),
        washWei: aic(1n, 10_000_000n),
        sybils: fc.integer({ min: 1, max: 8 }),
        rating: fc.integer({ min: 0, max: 100 }),
        sybilStakeAic: fc.bigInt({ min: 0n, max: 1_000_000n }),
        buyerRating: fc.integer({ min: 0, max: 100 }),
        buyerStakeAic: fc.bigInt({ min: 0n, max: 1_000_000n }),
      }),
    });
    fc.assert(
      fc.property(arbitrary, ({ feeBps, capShare, emissionAic, world }) => {
        const cap = BigInt(Math.max(1, Math.floor(Number(feeBps) * capShare)));
        const params = defaultRatingParams(0, {
          emissionWei: emissionAic * AIC,
          minFeeBps: feeBps,
          maxRewardBpsOfUsage: cap < feeBps ? cap : feeBps - 1n,
          hubAddresses: ['0xexchange'],
        });
        const reward = (wash: boolean) =>
          rewardsForEpoch(
            computeEpochScores(epochEvents(world, wash), params),
            params.emissionWei,
            maxRewardWeiPerScore(params),
          ).payouts.get('0xattacker') ?? 0n;
        const washedWei = (world.washWei / BigInt(world.sybils)) * BigInt(world.sybils);
        const feesWei = (washedWei * feeBps) / 10_000n;
        expect(reward(true) - reward(false)).toBeLessThan(feesWei);
      }),
      { numRuns: 300 },
    );
  });

  it('earns nothing at all when the Sybils are funded by the owner', () => {
    const log = createEventLog();
    log.register('model:wash', 'model', '0xattacker');
    log.register('model:h', 'model', '0xhonest');
    log.pay('model:h', '0xbuyer', 1_000n * AIC);
    for (let s = 0; s < 5; s++) {
      log.fund('0xattacker', `0xsybil${s}`, 100n * AIC);
      log.pay('model:wash', `0xsybil${s}`, 100n * AIC);
    }
    expect(computeEpochScores(log.events, defaultRatingParams(0)).has('0xattacker')).toBe(false);
  });
});
