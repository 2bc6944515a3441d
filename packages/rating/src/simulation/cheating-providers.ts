/**
 * Providers who cheat on verified work: the lazy one skips a fraction of every job's segments, the forger makes up
 * results. Verification re-runs ECONOMY.verificationSamples segments per job, so a job that skipped a fraction f is
 * caught with probability 1 − (1 − f)^samples; a caught provider is slashed (100 % of stake), unpaid for that job and
 * scored zero for the epoch. Their counterfactual is the same provider doing honest work for the same requesters.
 */
import type { Attack, AttackContext } from './attack.ts';
import { ECONOMY, feeOf, randomFor } from './economy.ts';
import { unitsFor } from './honest.ts';

/** A GPU provider that skips `skipFraction` of each job's work (1 = forges every result). */
export function createCheatingProvider(name: string, skipFraction: number): Attack {
  const owner = `0xattacker-${name}`;
  const resource = `gpu:${name}`;
  const stakeWei = ECONOMY.minStakeClass1Wei;
  const pCaught = 1 - (1 - skipFraction) ** ECONOMY.verificationSamples;
  return {
    name,
    addresses: [owner],
    setup({ log }) {
      log.register(resource, 'gpu', owner);
      log.fund(ECONOMY.exchange, owner, stakeWei);
    },
    runEpoch({ seed, log, honest, malicious }: AttackContext) {
      const rng = randomFor(seed, resource, log.epoch);
      let net = 0n;
      let slashed = false;
      for (let job = rng.int(6, 14); job > 0; job--) {
        const requester = honest.consumers[rng.int(0, honest.consumers.length - 1)]!;
        const fault = rng.chance(ECONOMY.honestFaultRate);
        const price = rng.aic(50, 150);
        const caught = rng.chance(pCaught);
        if (fault) {
          log.outcome(resource, false);
          continue;
        }
        const costBps = malicious
          ? BigInt(Math.round(Number(ECONOMY.computeCostBps) * (1 - skipFraction)))
          : ECONOMY.computeCostBps;
        net -= feeOf(price, costBps);
        if (malicious && caught) {
          if (!slashed) log.fraud(resource, feeOf(stakeWei, ECONOMY.slashBps));
          if (!slashed) net -= feeOf(stakeWei, ECONOMY.slashBps); // re-staking to keep working
          slashed = true;
          continue; // escrow refunded to the requester
        }
        net += price - feeOf(price, ECONOMY.protocolFeeBps);
        log.pay(resource, requester, price);
        log.work(resource, requester, unitsFor('gpu', price));
        log.outcome(resource, true);
      }
      return net;
    },
  };
}

/** The skip fractions a lazy provider may choose; the simulation reports its best one. */
export const LAZY_SKIP_FRACTIONS = [0.001, 0.005, 0.01, 0.02, 0.05, 0.1, 0.25] as const;
