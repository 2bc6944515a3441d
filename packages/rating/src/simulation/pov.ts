/**
 * The Proof-of-Value adversarial simulation behind `sim/pov.ts`: every attack of DESIGN.md §8 against the honest
 * population, each compared with its counterfactual, plus one world where all attack at once.
 */
import { AicError } from '@aic/core';
import type { Attack } from './attack.ts';
import { createCheatingProvider, LAZY_SKIP_FRACTIONS } from './cheating-providers.ts';
import { weiToAicNumber } from './economy.ts';
import { createRaterCabal } from './rater-cabal.ts';
import { type AttackReport, evaluateAttack, honestShareOf, runWorld, type SimulationOptions } from './run.ts';
import { createSelfDealingDataset, createSybilProviders, createWashTradingRing } from './self-dealing.ts';

export interface PovReport {
  attacks: AttackReport[];
  /** Honest share of contributor rewards with every attacker active at once. */
  combinedHonestShare: number;
  /** Share of the emission that no verified value supported (scored to the sink, back to the pool). */
  sinkShareOfEmission: number;
  summary: { sim: 'pov'; minAttackProfit: number; maxAttackProfit: number; honestShare: number };
}

/** The lazy provider's best skip fraction: the one with the highest expected profit. */
function bestLazyProvider(options: SimulationOptions): AttackReport {
  const reports = LAZY_SKIP_FRACTIONS.map((skip) => ({
    skip,
    report: evaluateAttack(createCheatingProvider('lazy', skip), options),
  }));
  const best = reports.reduce((a, b) => (b.report.profitAicPerEpoch > a.report.profitAicPerEpoch ? b : a));
  return { ...best.report, name: `lazy provider (best skip fraction ${best.skip})` };
}

/**
 * Fewest epochs for a run: profits are sampled, and a lazy provider skipping 0.1 % of its work is caught in about a
 * third of its epochs, so shorter runs can report a lucky streak instead of the expectation.
 */
export const MIN_EPOCHS = 20;

/** Runs every attack and the combined world. */
export function runPovSimulation(options: SimulationOptions): PovReport {
  if (options.epochs < MIN_EPOCHS) {
    throw new AicError('SIM_TOO_FEW_EPOCHS', `run at least ${MIN_EPOCHS} epochs`, { details: { ...options } });
  }
  const others: Attack[] = [
    createCheatingProvider('forger', 1),
    createRaterCabal(),
    createSelfDealingDataset(),
    createSybilProviders(),
    createWashTradingRing(),
  ];
  const attacks = [bestLazyProvider(options), ...others.map((a) => evaluateAttack(a, options))];
  attacks[1]!.name = 'result forger';
  const everyone = [createCheatingProvider('lazy', 0.01), ...others];
  const combined = runWorld(everyone, true, options);
  const combinedHonestShare = honestShareOf(combined, runWorld(everyone, false, options));
  const profits = attacks.map((a) => a.profitAicPerEpoch);
  return {
    attacks,
    combinedHonestShare,
    sinkShareOfEmission: weiToAicNumber(combined.sinkRewardsWei) / weiToAicNumber(combined.emissionWei),
    summary: {
      sim: 'pov',
      minAttackProfit: Math.min(...profits),
      maxAttackProfit: Math.max(...profits),
      honestShare: Math.min(combinedHonestShare, ...attacks.map((a) => a.honestShare)),
    },
  };
}
