/**
 * `npm run bench -- cli [--runs N]`: start-up time of the `aic` binary. Runs `aic --help` (apps/cli/bin/aic.js, as
 * `npx aic` and `npm link` run it) N times (default 20) as fresh processes, interleaved with a bare `node -e 0` as
 * the baseline measured in the same run, and prints the percentiles. The binary runs its JavaScript build when it
 * is current; this bench builds it first (`npm run build:cli`) so the figure is the built binary's, and also
 * reports, once, the start-up from the TypeScript sources (tsx) that the build replaces.
 * Last line: {"bench":"cli","startMsP50":…,"startMsP90":…,"baselineNodeStartMsP50":…,…}; the goal is p50 < 1000.
 */
import { spawnSync } from 'node:child_process';
import { loadavg } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const AIC_BIN = join(ROOT, 'apps/cli/bin/aic.js');
const { values } = parseArgs({ options: { runs: { type: 'string', default: '20' } } });
const RUNS = Math.max(3, Number(values.runs));

/** Wall time of one process run, ms; fails the bench when the command does. */
function timeRun(args: string[], env: NodeJS.ProcessEnv = process.env): number {
  const started = process.hrtime.bigint();
  const result = spawnSync(process.execPath, args, { env, encoding: 'utf8' });
  const ms = Number(process.hrtime.bigint() - started) / 1e6;
  if (result.status !== 0) throw new Error(`${args.join(' ')} exited ${result.status}: ${result.stderr}`);
  if (args.includes('--help') && !result.stdout.includes('Usage: aic')) throw new Error('aic --help printed no usage');
  return ms;
}

function percentile(values: readonly number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  const at = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return Math.round(sorted[at] as number);
}

const build = spawnSync(process.execPath, [join(ROOT, 'apps/cli/scripts/build.mjs')], { encoding: 'utf8' });
if (build.status !== 0) throw new Error(`build failed: ${build.stderr}`);
process.stdout.write(build.stdout);

const fromBuild = { ...process.env, AIC_CLI_FROM_SOURCE: '' };
timeRun([AIC_BIN, '--help'], fromBuild); // warm the file cache once
const aic: number[] = [];
const node: number[] = [];
for (let i = 0; i < RUNS; i++) {
  node.push(timeRun(['-e', '0']));
  aic.push(timeRun([AIC_BIN, '--help'], fromBuild));
}
const sourceMs = Math.round(timeRun([AIC_BIN, '--help'], { ...process.env, AIC_CLI_FROM_SOURCE: '1' }));

const figures = {
  bench: 'cli',
  runs: RUNS,
  startMsP50: percentile(aic, 50),
  startMsP90: percentile(aic, 90),
  startMsMax: percentile(aic, 100),
  baselineNodeStartMsP50: percentile(node, 50),
  baselineNodeStartMsP90: percentile(node, 90),
  overNodeMsP50: percentile(aic, 50) - percentile(node, 50),
  fromSourcesMs: sourceMs,
  loadAverage1m: Number(loadavg()[0]?.toFixed(2)),
  goalStartMsP50: 1000,
};
console.log(
  `aic --help: p50 ${figures.startMsP50} ms, p90 ${figures.startMsP90} ms over ${RUNS} runs; bare node p50 ` +
    `${figures.baselineNodeStartMsP50} ms; from the TypeScript sources ${sourceMs} ms (load ${figures.loadAverage1m})`,
);
console.log(JSON.stringify(figures));
