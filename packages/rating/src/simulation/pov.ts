/**
 * The Proof-of-Value adversarial simulation behind `sim/pov.ts`: every attack of DESIGN.md §8 against the honest
 * population, each compared with its counterfactual, plus one world where all attack at once.
 */
import { AicError } from '@aic/core';
import type { Attack } from './attack.ts';
import {
  createCanarySpotter,
  type FeatureSet,
  FRESH_PAYERS,
  type PaymentModel,
  SPOTTER_CHECK_SHARES,
} from './canary-spotting.ts';
import { createCheatingProvider, LAZY_SKIP_FRACTIONS } from './cheating-providers.ts';
import { weiToAicNumber } from './economy.ts';
import { createRaterCabal } from './rater-cabal.ts';
import { type AttackReport, evaluateAttack, honestShareOf, runWorld, type SimulationOptions } from './run.ts';
import { createSelfDealingDataset, createSybilProviders, createWashTradingRing } from './self-dealing.ts';
import { createSelfRatingCabal } from './self-rating.ts';
import { createCheatingCoordinator, createLazyVerifier, createLyingReferee, createRefereeCabal } from './verifiers.ts';

export interface PovReport {
  attacks: AttackReport[];
  /** The canary-spotting study: each feature set's best spotter (also among `attacks`), detection vs base rate. */
  spotters: SpotterReport[];
  /** Honest share of contributor rewards with every attacker active at once. */
  combinedHonestShare: number;
  /** Share of the emission the reward cap kept in the pool (no verified value behind it). */
  unreleasedShareOfEmission: number;
  summary: {
    sim: 'pov';
    minAttackProfit: number;
    maxAttackProfit: number;
    honestShare: number;
    /** Share of the emission paid out that no verified value backs: what attackers gained over honest behaviour. */
    unbackedEmissionShare: number;
  };
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

export interface SpotterReport extends AttackReport {
  /** Share of the canaries it was drawn for that it flagged (and so re-ran). */
  detectionRate: number;
  /** Share of all its drawn jobs it flagged: what guessing would catch. */
  baseRate: number;
}

/** The canary-spotting verifier's best check share for a feature set, with its detection and base rates, under a
 * payment model (default: the running system's fresh payers) and a share of real jobs a wallet escrows itself. */
export function bestCanarySpotter(
  options: SimulationOptions,
  features: FeatureSet,
  payment: PaymentModel = FRESH_PAYERS,
  walletPaidShare = 0,
): SpotterReport {
  const reports = SPOTTER_CHECK_SHARES.map((share) => {
    const stats = { canaries: 0, caughtByCheck: 0, checked: 0, jobs: 0 };
    const spotter = createCanarySpotter(features, share, payment, stats, walletPaidShare);
    const report = evaluateAttack(spotter, options);
    return { share, report, stats };
  });
  const best = reports.reduce((a, b) => (b.report.profitAicPerEpoch > a.report.profitAicPerEpoch ? b : a));
  return {
    ...best.report,
    name: `canary-spotting verifier by ${features.replaceAll('-', ' ')} (best: checks ${best.share * 100} %)`,
    detectionRate: best.stats.canaries === 0 ? 0 : best.stats.caughtByCheck / best.stats.canaries,
    baseRate: best.stats.jobs === 0 ? 0 : best.stats.checked / best.stats.jobs,
  };
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
    createLazyVerifier('lazy verifier (approves unseen)', 0),
    createLyingReferee(),
    createRefereeCabal(),
    createCheatingCoordinator(),
    createSelfRatingCabal(),
  ];
  const attacks = [bestLazyProvider(options), ...others.map((a) => evaluateAttack(a, options))];
  attacks[1]!.name = 'result forger';
  const spotters = (['parameters-and-timing', 'payer-history'] as const).map((f) => bestCanarySpotter(options, f));
  attacks.push(...spotters);
  const everyone = [
    createCheatingProvider('lazy', 0.01),
    createCanarySpotter('parameters-and-timing', 0.5, FRESH_PAYERS),
    ...others,
  ];
  const combined = runWorld(everyone, true, options);
  const combinedHonestShare = honestShareOf(combined, runWorld(everyone, false, options));
  const profits = attacks.map((a) => a.profitAicPerEpoch);
  return {
    attacks,
    spotters,
    combinedHonestShare,
    unreleasedShareOfEmission: weiToAicNumber(combined.unreleasedWei) / weiToAicNumber(combined.emissionWei),
    summary: {
      sim: 'pov',
      minAttackProfit: Math.min(...profits),
      maxAttackProfit: Math.max(...profits),
      honestShare: Math.min(combinedHonestShare, ...attacks.map((a) => a.honestShare)),
      unbackedEmissionShare: Number((1 - combinedHonestShare).toFixed(6)),
    },
  };
}
