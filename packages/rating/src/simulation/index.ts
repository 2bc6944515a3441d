export type { Attack, AttackContext } from './attack.ts';
export {
  createCanarySpotter,
  type FeatureSet,
  FRESH_PAYERS,
  marketEpoch,
  type PaymentModel,
  REAL_FRESH_PAYER_SHARE_TODAY,
  SHARED_PAYERS_BEFORE,
  SPOTTER_CHECK_SHARES,
  trainSpotter,
} from './canary-spotting.ts';
export { createCheatingProvider, LAZY_SKIP_FRACTIONS } from './cheating-providers.ts';
export { AIC, ECONOMY, weiToAicNumber } from './economy.ts';
export { bestCanarySpotter, MIN_EPOCHS, type PovReport, runPovSimulation, type SpotterReport } from './pov.ts';
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
export { createSelfRatingCabal } from './self-rating.ts';
export {
  CANARY_SPOTTER_CHECK_SHARES,
  createCheatingCoordinator,
  createLazyVerifier,
  createLyingReferee,
  createRefereeCabal,
  VERIFICATION,
} from './verifiers.ts';
