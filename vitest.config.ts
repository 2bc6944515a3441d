import { defineConfig } from 'vitest/config';

// One runner, one project per test tier (docs/ARCHITECTURE.md "Test tiers").
// Tier folders: <package>/test/<tier>/**/*.test.ts
const tier = (name: string, timeoutMs: number) => ({
  extends: true as const,
  test: {
    name,
    include: [`packages/*/test/${name}/**/*.test.ts`, `apps/*/test/${name}/**/*.test.ts`, `test/${name}/**/*.test.ts`],
    testTimeout: timeoutMs,
    hookTimeout: timeoutMs,
  },
});

export default defineConfig({
  test: {
    setupFiles: ['./test/setup/polyfills.ts'],
    pool: 'forks',
    // Two test files at a time. Vitest's default on 2 cores is one (cores − 1), which left a core idle through every
    // in-process file and through the waits (blocks, gossip, verification windows) of the multi-process ones; the
    // hang guards of the heavy tiers are sized for a loaded machine.
    maxWorkers: 2,
    projects: [
      tier('unit', 20_000),
      tier('contracts', 120_000),
      tier('integration', 180_000),
      tier('fault', 180_000),
      tier('e2e', 180_000),
      tier('simulation', 300_000),
    ],
  },
});
