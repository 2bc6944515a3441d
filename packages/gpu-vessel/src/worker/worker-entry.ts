/**
 * Which file a training worker process starts: the worker entry bundled to plain JavaScript (`npm run build:worker`,
 * also run by `npm install`: packages/gpu-vessel/dist) while it is current, else worker-main.ts through tsx. The
 * bundle spares each job's worker compiling its ~130 TypeScript files at start-up (measured: 2.5 → 0.9 CPU-s to its
 * first line); an edited checkout never runs stale code (the rule apps/node/src/spawn.ts applies to node processes).
 * AIC_WORKER_FROM_SOURCE=1 forces the sources.
 */
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { bundleIsCurrent } from './bundle.ts';

/** The child's entry point (TypeScript). */
export const WORKER_MAIN = join(dirname(fileURLToPath(import.meta.url)), 'worker-main.ts');
/** The same entry bundled: packages/gpu-vessel/dist. */
export const WORKER_DIST = join(dirname(WORKER_MAIN), '..', '..', 'dist');

/** The module to fork and the Node.js arguments that load it (tsx for the sources). */
export function workerEntry(env: NodeJS.ProcessEnv = process.env): { module: string; execArgv: string[] } {
  if (env.AIC_WORKER_FROM_SOURCE !== '1' && bundleIsCurrent(WORKER_DIST)) {
    return { module: join(WORKER_DIST, 'main.js'), execArgv: [] };
  }
  // tsx resolved from here, so the child works whatever its working directory.
  return { module: WORKER_MAIN, execArgv: ['--import', import.meta.resolve('tsx')] };
}
