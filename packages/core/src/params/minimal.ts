import { devnetPreset } from './devnet.ts';
import { minimalPov } from './pov.ts';
import type { AicPreset } from './types.ts';

/** Tests: the devnet's values with faster timers, a small worker, and the contract windows the contract tests use. */
export const minimalPreset = {
  ...devnetPreset,
  name: 'minimal',
  pov: minimalPov,
  node: { ...devnetPreset.node, republishIntervalMs: 2_000, coordinatesIntervalMs: 500, holdingsIntervalMs: 1_000 },
  worker: { memoryMiB: 512, timeoutMs: 600_000 },
  rater: { ...devnetPreset.rater, pollIntervalMs: 500 },
  mining: { ...devnetPreset.mining, minDwellMs: 500, sampleIntervalMs: 200, restartBaseMs: 200, restartMaxMs: 5_000 },
  storage: { ...devnetPreset.storage, answerIntervalMs: 200, collectIntervalMs: 500, auditIntervalMs: 0 },
  contracts: {
    ...devnetPreset.contracts,
    challengeWindowSec: 60,
    verifyWindowSec: 600,
    courtVoteWindowSec: 600,
    courtAppealWindowSec: 60,
  },
} as const satisfies AicPreset;
