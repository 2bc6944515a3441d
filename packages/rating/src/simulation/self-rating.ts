/**
 * A self-rating cabal: six owners of mediocre models (true quality 45) holding 30 % of rater stake, each funded
 * through the exchange (no visible link), who buy each other's models in a ring and rate them 100, hoping to lift
 * their quality above what honest consumers give them. Ratings are weighted by the fee paid and clipped to the
 * stake-weighted median, which a 30 % minority cannot move; and every ring purchase pays the 2.5 % fee while the
 * reward cap returns at most 2 %. The counterfactual is the same cabal selling honestly and not rating itself.
 */
import type { Attack } from './attack.ts';
import { ECONOMY, feeOf, randomFor } from './economy.ts';
import { buyAndRate } from './self-dealing.ts';

const MEMBERS = 6;
const STAKE_SHARE_BPS = 3_000n;

export function createSelfRatingCabal(): Attack {
  const members = Array.from({ length: MEMBERS }, (_, i) => ({
    owner: `0xselfrate-${i}`,
    resource: `model:selfrate-${i}`,
  }));
  return {
    name: 'self-rating cabal (30 % of rater stake)',
    addresses: members.map((m) => m.owner),
    setup({ log, honest }) {
      const stake = (honest.consumerStakeWei * STAKE_SHARE_BPS) / (10_000n - STAKE_SHARE_BPS);
      for (const m of members) {
        log.register(m.resource, 'model', m.owner);
        log.fund(ECONOMY.exchange, m.owner, stake);
        log.stake(m.owner, stake / BigInt(MEMBERS));
      }
    },
    runEpoch({ seed, log, honest, malicious }) {
      for (const m of members) {
        const rng = randomFor(seed, m.resource, log.epoch);
        for (let d = rng.int(8, 20); d > 0; d--) {
          const buyer = honest.consumers[rng.int(0, honest.consumers.length - 1)]!;
          const rating = rng.chance(0.3) ? 45 + rng.int(-5, 5) : undefined;
          buyAndRate(log, m.resource, 'model', buyer, rng.aic(2, 30), rating);
        }
      }
      if (!malicious) return 0n;
      let net = 0n;
      members.forEach((m, i) => {
        const next = members[(i + 1) % MEMBERS]!;
        const price = randomFor(seed, `selfrate-ring-${i}`, log.epoch).aic(50, 150);
        buyAndRate(log, next.resource, 'model', m.owner, price, 100);
        net -= feeOf(price, ECONOMY.plazaFeeBps); // the rest of the price stays inside the cabal
      });
      return net;
    },
  };
}
