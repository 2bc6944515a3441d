/**
 * `npm run bench -- locality [jobs] [providers] [datasets]`: how many dataset bytes the Resource Allocator moves when
 * it is given the real locality inputs (dataset size, holders' coordinates, providers' caches and coordinates) versus
 * the same allocator with those inputs blanked (locality-blind), on one synthetic market (bench/locality/market.ts):
 * 10,000 jobs over 1,000 providers and 120 datasets by default, caches evolving as providers fetch (bounded LRU).
 * Last line: {"bench":"locality","jobs":…,"providers":…,"datasets":…,"bytesMovedGB":…,"bytesMovedBlindGB":…,
 * "bytesMovedVsLocalityBlind":…} (goal ≤ 0.5).
 */
import { syntheticDatasets, syntheticJobs, syntheticProviders } from './locality/market.ts';
import { type RunResult, simulate } from './locality/simulate.ts';

const [jobsArg, providersArg, datasetsArg] = process.argv.slice(2).map(Number);
const JOBS = jobsArg || 10_000;
const PROVIDERS = providersArg || 1_000;
const DATASETS = datasetsArg || 120;
const JOBS_PER_TICK = 20;

const datasets = syntheticDatasets(DATASETS, 2026n);
const providers = syntheticProviders(PROVIDERS, datasets, 1201n);
const jobs = syntheticJobs(JOBS, datasets, 1224n);

function run(aware: boolean, market = providers): RunResult & { ms: number } {
  const start = performance.now();
  const result = simulate(market, jobs, { aware, jobsPerTick: JOBS_PER_TICK });
  return { ...result, ms: performance.now() - start };
}

const aware = run(true);
const blind = run(false);
// The same market with every price distinct (±10 % around the class's rate): locality then wins only where the
// transfer time outweighs the price difference, or within the near-best margin.
const continuous = syntheticProviders(PROVIDERS, datasets, 1201n, 'continuous');
const awareContinuous = run(true, continuous);
const blindContinuous = run(false, continuous);
const gb = (bytes: number) => Number((bytes / 1e9).toFixed(1));
for (const [name, r] of [
  ['locality', aware],
  ['blind', blind],
  ['locality, distinct prices', awareContinuous],
  ['blind, distinct prices', blindContinuous],
] as const) {
  console.log(
    `${name}: ${r.placed} placed (${r.unplaced} found no free offer), ${r.cacheHits} cache hits, ` +
      `${gb(r.bytesMoved)} GB moved, ${r.price.toFixed(1)} AIC paid, ${r.ms.toFixed(0)} ms`,
  );
}
console.log(
  JSON.stringify({
    bench: 'locality',
    jobs: JOBS,
    providers: PROVIDERS,
    datasets: DATASETS,
    bytesMovedGB: gb(aware.bytesMoved),
    bytesMovedBlindGB: gb(blind.bytesMoved),
    bytesMovedVsLocalityBlind: Number((aware.bytesMoved / blind.bytesMoved).toFixed(3)),
    cacheHitRate: Number((aware.cacheHits / aware.placed).toFixed(3)),
    cacheHitRateBlind: Number((blind.cacheHits / blind.placed).toFixed(3)),
    priceVsLocalityBlind: Number((aware.price / blind.price).toFixed(4)),
    bytesMovedVsLocalityBlindDistinctPrices: Number(
      (awareContinuous.bytesMoved / blindContinuous.bytesMoved).toFixed(3),
    ),
  }),
);
