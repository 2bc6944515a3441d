import { devnetPreset } from './devnet.ts';
import { mainnetPov } from './pov.ts';
import type { AicPreset } from './types.ts';

/** Production-like: day-long windows, stakes that make cheating expensive, a liveness grace that outlasts a restart. */
export const mainnetPreset = {
  ...devnetPreset,
  name: 'mainnet',
  pov: mainnetPov,
  // A member raises these on purpose (--budget-per-job-aic, --budget-per-day-aic): a leaked token spends little.
  node: { ...devnetPreset.node, budgetPerJobAic: '200', budgetPerDayAic: '1000' },
  // The default stake covers class 0's minimum below; a provider claiming a higher class stakes more.
  provider: { ...devnetPreset.provider, stakeAic: '1000' },
  // Tens of seconds: a provider's node restarting on its data directory must be back before it is preempted.
  coordinator: { ...devnetPreset.coordinator, livenessGraceMs: 30_000 },
  rater: { stakeAic: '10000', pollIntervalMs: 60_000 },
  contracts: {
    ...devnetPreset.contracts,
    challengeWindowSec: 86_400,
    verifyWindowSec: 21_600,
    assignWindowSec: 600,
    verifierMinStakeAic: '10000',
    verifierSilencePenaltyAic: '10',
    verifierUnbondingSec: 604_800,
    courtCommitteeSize: 5,
    courtVoteWindowSec: 21_600,
    courtAppealWindowSec: 86_400,
    courtAppealBondAic: '1000',
    epochDurationSec: 86_400,
    raterMinStakeAic: '10000',
    scoreChallengeWindowSec: 3_600,
    minStakeByClassAic: ['1000', '10000', '25000', '50000', '100000'],
    storageEpochSec: 86_400,
    storageResponseWindowBlocks: 100,
  },
  povContracts: {
    ...devnetPreset.povContracts,
    // At most 1 M AIC a day, halving yearly over five years of daily epochs: ≈ 707 M AIC in all (7 % of genesis).
    issueEpochsPerStep: 365,
    issueStepCapsAic: ['1000000', '500000', '250000', '125000', '62500'],
    // Off until governance switches it on after the main-net switch.
    issueOnAtDeploy: false,
    validatorMinStakeAic: '10000',
    validatorUnbondingSec: 604_800,
  },
} as const satisfies AicPreset;
