export type { Attack, AttackContext } from './attack.ts';
export { createCheatingProvider, LAZY_SKIP_FRACTIONS } from './cheating-providers.ts';
export { AIC, ECONOMY, weiToAicNumber } from './economy.ts';
export { MIN_EPOCHS, type PovReport, runPovSimulation } from './pov.ts';
export { createRaterCabal } from './rater-cabal.ts';
export {
  type AttackReport,
  evaluateAttack,
  honestShareOf,
  runWorld,
  type SimulationOptions,
  shareOf,
  type WorldOutcome,
} from './run.ts';
export { createSelfDealingDataset, createSybilProviders, createWashTradingRing } from './self-dealing.ts';
