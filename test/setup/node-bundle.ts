/**
 * Global set-up of the tiers that start processes (integration, fault, e2e): builds the node's JavaScript bundle
 * (apps/node/dist, `npm run build:node`), the training worker's (packages/gpu-vessel/dist, `npm run build:worker`)
 * and the `aic` binary's (apps/cli/dist, `npm run build:cli`) when missing or older than a source file, so every
 * node, worker and `aic` process a test spawns starts from plain JavaScript instead of compiling hundreds of
 * TypeScript files through tsx (measured: 4.7 → 2.1 CPU-s per node start, a job network starts 7; 2.5 → 0.9 per
 * worker). Without esbuild, or if a build fails, they run the sources as before (spawn.ts, worker-entry.ts and
 * bin/aic.js fall back by themselves): this only saves time, it never changes what runs.
 */
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { bundleIsCurrent, NODE_DIST, NODE_MAIN } from '../../apps/node/src/spawn.ts';
import { WORKER_DIST, WORKER_MAIN } from '../../packages/gpu-vessel/src/worker/worker-entry.ts';

const ROOT = join(import.meta.dirname, '..', '..');
const BUILD = join(ROOT, 'apps', 'cli', 'scripts', 'build.mjs');
const BUNDLES = [
  { dir: NODE_DIST, args: ['--entry', NODE_MAIN], skip: 'AIC_NODE_FROM_SOURCE' },
  { dir: WORKER_DIST, args: ['--entry', WORKER_MAIN], skip: 'AIC_WORKER_FROM_SOURCE' },
  { dir: join(ROOT, 'apps', 'cli', 'dist'), args: [], skip: 'AIC_CLI_FROM_SOURCE' },
];

export default function setup(): void {
  for (const bundle of BUNDLES) {
    if (process.env[bundle.skip] === '1' || bundleIsCurrent(bundle.dir)) continue;
    const build = spawnSync(process.execPath, [BUILD, ...bundle.args, '--if-possible', '--quiet'], {
      encoding: 'utf8',
      timeout: 180_000,
    });
    if (build.status !== 0) {
      process.stderr.write(`${bundle.dir} not built (its processes run the TypeScript sources): ${build.stderr}\n`);
    }
  }
}
