import { devnetPreset } from './devnet.ts';
import type { AicPreset } from './types.ts';

/** Tests: the devnet's values with faster timers, a small worker, and the contract windows the contract tests use. */
export const minimalPreset = {
  ...devnetPreset,
  name: 'minimal',
  node: { ...devnetPreset.node, republishIntervalMs: 2_000, coordinatesIntervalMs: 500, holdingsIntervalMs: 1_000 },
  worker: { memoryMiB: 512, timeoutMs: 600_000 },
  storage: { ...devnetPreset.storage, answerIntervalMs: 200, collectIntervalMs: 500, auditIntervalMs: 0 },
  contracts: { ...devnetPreset.contracts, challengeWindowSec: 60, verifyWindowSec: 600 },
} as const satisfies AicPreset;
