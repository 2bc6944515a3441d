import { defineConfig } from 'vitest/config';

// One runner, one project per test tier (docs/ARCHITECTURE.md "Test tiers").
// Tier folders: <package>/test/<tier>/**/*.test.ts
const tier = (name: string, timeoutMs: number, spawnsNodes = false) => ({
  extends: true as const,
  test: {
    name,
    // Node and `aic` processes start from JavaScript bundles, built here when stale (test/setup/node-bundle.ts).
    ...(spawnsNodes ? { globalSetup: ['./test/setup/node-bundle.ts'] } : {}),
    include: [`packages/*/test/${name}/**/*.test.ts`, `apps/*/test/${name}/**/*.test.ts`, `test/${name}/**/*.test.ts`],
    testTimeout: timeoutMs,
    hookTimeout: timeoutMs,
    // On CI (a clean clone, CI=true) a case of the process tiers that fails is run once more: their bounds are sized
    // for a loaded machine, but a CI host's load is unknown and its output can be lost, so one load-induced timeout
    // should not hide the rest of the run. Vitest still reports every retried case (its "retry" count), and a case
    // that fails twice fails the run. Locally a failure fails at once.
    ...(spawnsNodes && process.env.CI ? { retry: 1 } : {}),
  },
});

// Unit files share their worker processes (isolate: false): each file then skips re-importing viem, libp2p and
// TensorFlow.js, which was 205 of the tier's 245 CPU-s (its wall time 148 s → 32 s on 2 cores). Files that assert
// on process-global state (TensorFlow.js's tensor count) keep a fresh process each.
const ISOLATED_UNIT_FILES = ['packages/model-vessel/test/unit/hostile-manifest.test.ts'];
const unitShared = {
  ...tier('unit', 20_000),
  test: { ...tier('unit', 20_000).test, isolate: false, exclude: ISOLATED_UNIT_FILES },
};
const unitIsolated = {
  ...tier('unit', 20_000),
  test: { ...tier('unit', 20_000).test, name: 'unit-isolated', include: ISOLATED_UNIT_FILES },
};

export default defineConfig({
  test: {
    setupFiles: ['./test/setup/polyfills.ts'],
    pool: 'forks',
    // Two test files at a time. Vitest's default on 2 cores is one (cores − 1), which left a core idle through every
    // in-process file and through the waits (blocks, gossip, verification windows) of the multi-process ones; the
    // hang guards of the heavy tiers are sized for a loaded machine.
    maxWorkers: 2,
    projects: [
      unitShared,
      unitIsolated,
      // Contract files share worker processes too (one Hardhat runtime per worker; each file deploys its own
      // contracts): re-importing Hardhat and viem per file was ~80 CPU-s of the tier. Passes in shuffled orders.
      { ...tier('contracts', 120_000), test: { ...tier('contracts', 120_000).test, isolate: false } },
      tier('integration', 180_000, true),
      tier('fault', 180_000, true),
      tier('e2e', 180_000, true),
      tier('simulation', 300_000),
    ],
  },
});
