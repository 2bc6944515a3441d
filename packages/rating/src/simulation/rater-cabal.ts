/**
 * A colluding rater cabal holding 30 % of all rater stake. Each member owns a mediocre dataset (true quality 45) that
 * honest consumers buy and rate. Attacking, the cabal (1) buys its members' datasets in a ring and rates them 100, and
 * (2) buys the best honest resources and rates them 0. The counterfactual is the same cabal not doing either.
 */
import type { Attack } from './attack.ts';
import { ECONOMY, feeOf, randomFor } from './economy.ts';
import { buyAndRate } from './self-dealing.ts';

const MEMBERS = 6;
const CABAL_STAKE_SHARE_BPS = 3_000n;

export function createRaterCabal(): Attack {
  const members = Array.from({ length: MEMBERS }, (_, i) => ({
    owner: `0xcabal-${i}`,
    resource: `dataset:cabal-${i}`,
  }));
  return {
    name: 'rater cabal (30 % of stake)',
    addresses: members.map((m) => m.owner),
    setup({ log, honest }) {
      // cabal / (honest + cabal) = 30 %  ⇒  cabal = honest · 3 / 7
      const cabalStake = (honest.consumerStakeWei * CABAL_STAKE_SHARE_BPS) / (10_000n - CABAL_STAKE_SHARE_BPS);
      for (const m of members) {
        log.register(m.resource, 'dataset', m.owner);
        log.fund(ECONOMY.exchange, m.owner, cabalStake);
        log.stake(m.owner, cabalStake / BigInt(MEMBERS));
      }
    },
    runEpoch({ seed, log, honest, malicious }) {
      for (const m of members) {
        const rng = randomFor(seed, m.resource, log.epoch);
        for (let d = rng.int(8, 20); d > 0; d--) {
          const buyer = honest.consumers[rng.int(0, honest.consumers.length - 1)]!;
          buyAndRate(
            log,
            m.resource,
            'dataset',
            buyer,
            rng.aic(2, 30),
            rng.chance(0.3) ? 45 + rng.int(-5, 5) : undefined,
          );
        }
      }
      if (!malicious) return 0n;
      let net = 0n;
      const targets = [...honest.resources].sort((a, b) => b.quality - a.quality || (a.id < b.id ? -1 : 1)).slice(0, 6);
      members.forEach((m, i) => {
        const rng = randomFor(seed, `cabal-attack-${i}`, log.epoch);
        const next = members[(i + 1) % MEMBERS]!;
        const ringPrice = rng.aic(50, 150);
        buyAndRate(log, next.resource, 'dataset', m.owner, ringPrice, 100);
        net -= feeOf(ringPrice, ECONOMY.plazaFeeBps);
        for (const target of targets) {
          const price = rng.aic(2, 10);
          buyAndRate(log, target.id, target.kind, m.owner, price, 0);
          net -= price; // paid to an honest competitor for something the cabal does not need
        }
      });
      return net;
    },
  };
}
