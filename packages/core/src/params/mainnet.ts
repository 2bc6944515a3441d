import { devnetPreset } from './devnet.ts';
import type { AicPreset } from './types.ts';

/** Production-like: day-long windows, stakes that make cheating expensive, a liveness grace that outlasts a restart. */
export const mainnetPreset = {
  ...devnetPreset,
  name: 'mainnet',
  // A member raises these on purpose (--budget-per-job-aic, --budget-per-day-aic): a leaked token spends little.
  node: { ...devnetPreset.node, budgetPerJobAic: '200', budgetPerDayAic: '1000' },
  // The default stake covers class 0's minimum below; a provider claiming a higher class stakes more.
  provider: { ...devnetPreset.provider, stakeAic: '1000' },
  // Tens of seconds: a provider's node restarting on its data directory must be back before it is preempted.
  coordinator: { ...devnetPreset.coordinator, livenessGraceMs: 30_000 },
  contracts: {
    ...devnetPreset.contracts,
    challengeWindowSec: 86_400,
    verifyWindowSec: 21_600,
    epochDurationSec: 86_400,
    minStakeByClassAic: ['1000', '10000', '25000', '50000', '100000'],
    storageEpochSec: 86_400,
    storageResponseWindowBlocks: 100,
  },
} as const satisfies AicPreset;
