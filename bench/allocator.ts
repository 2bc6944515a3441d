/**
 * `npm run bench -- allocator`: the Resource Allocator (one core).
 * - jobsPerS: online placements per second in a synthetic market of 10,000 providers with distinct prices
 *   (baseline in the same run: a full scan of every offer per job).
 * - costVsOptimal: batch placement's total cost / the exact optimum (Hungarian) on a contended subsample.
 * - jobsPerSIdentical: online placements per second of GPU jobs (fractions, 1–8 GPUs on one machine, CPU and
 *   memory) on a 10,000-machine fleet where 90 % of the machines are identical, in steady state (jobs end), per
 *   second of the process's CPU time (one core's work; the wall-clock rate beside it, jobsPerSIdenticalWall, also
 *   counts the time other processes of a shared machine hold the core).
 * - unallocatedGpuVsBestFit: on eight heterogeneous fleets each filled to 100 % of its GPUs' worth of demand, GPUs
 *   left unallocated (summed) by the fragmentation-aware allocator / by fractional best-fit (first-fit beside them).
 * - tiesPlaceJobMs / tiesBatch20Ms: 3,000 offers at one price (the quadratic case of the first allocator).
 * Last line: {"bench":"allocator","jobsPerS":..,"jobsPerSIdentical":..,"costVsOptimal":..,"unallocatedGpuVsBestFit":..}
 * (goals: ≥ 20,000 jobs/s; ≥ 20,000; ≤ 1.02; ≤ 0.7).
 */

import {
  costOf,
  createOfferBook,
  DEFAULT_COST_MODEL,
  hungarian,
  isFeasible,
  type JobDemand,
  type Offer,
  placeBatch,
  placeJob,
  releaseSlot,
  syntheticJobs,
  syntheticOffers,
} from '@aic/allocator';
import { fleetFill, identicalFleetRate, tiesTimings } from './allocator/fleet.ts';

const PROVIDERS = 10_000;
const offers = syntheticOffers(PROVIDERS, 2026n);
const jobs = syntheticJobs(30_000, 1124n);
const model = DEFAULT_COST_MODEL;

function timeIt<T>(fn: () => T): { value: T; ms: number } {
  const start = performance.now();
  const value = fn();
  return { value, ms: performance.now() - start };
}

// Baseline: evaluate every offer for every job.
const sample = jobs.slice(0, 500);
const baseline = timeIt(() => {
  let placed = 0;
  for (const job of sample) {
    let best = Number.POSITIVE_INFINITY;
    for (const o of offers) if (isFeasible(o, job)) best = Math.min(best, costOf(o, job, model));
    if (Number.isFinite(best)) placed++;
  }
  return placed;
});
const baselineJobsPerS = sample.length / (baseline.ms / 1_000);

// Online placement, consuming slots, warm-up first (JIT).
createOfferBook(offers, model);
{
  const warm = createOfferBook(offers, model);
  for (const job of jobs.slice(0, 2_000)) placeJob(warm, job, 7n);
}
// A market in steady state: jobs finish, so every 5,000 placements the oldest 5,000 free their slots again.
const book = createOfferBook(offers, model);
const byId = new Map(offers.map((o) => [o.id, o]));
const online = timeIt(() => {
  let placed = 0;
  const running: string[] = [];
  for (const job of jobs) {
    const p = placeJob(book, job, 0x5eedn);
    if (p) {
      placed++;
      running.push(p.offerId);
    }
    if (running.length >= 5_000) for (const id of running.splice(0)) releaseSlot(book, byId.get(id)!);
  }
  return placed;
});
const jobsPerS = jobs.length / (online.ms / 1_000);
console.log(
  `online: ${online.value} of ${jobs.length} jobs placed in ${online.ms.toFixed(0)} ms (${jobsPerS.toFixed(0)} jobs/s)`,
);
console.log(`baseline full scan: ${baselineJobsPerS.toFixed(0)} jobs/s`);

// Quality against the exact optimum on a contended subsample: 300 jobs compete for 600 single-slot offers, and only
// jobs that all fit at once are kept (the optimum must place every job for the ratio to mean anything).
const subOffers: Offer[] = offers.slice(0, 600).map((o) => ({ ...o, slots: 1 }));
const subJobs: JobDemand[] = jobs
  .filter((j) => j.minHwClass <= 2 && subOffers.some((o) => isFeasible(o, j)))
  .slice(0, 300);
const exact = timeIt(() =>
  hungarian(
    subJobs.map((j) => subOffers.map((o) => (isFeasible(o, j) ? costOf(o, j, model) : Number.POSITIVE_INFINITY))),
  ),
);
const batch = timeIt(() => placeBatch(createOfferBook(subOffers, model), subJobs, 0x5eedn));
const batchCost = batch.value.reduce((s, p) => s + p.cost, 0);
const greedyBook = createOfferBook(subOffers, model);
const greedy = subJobs.map((j) => placeJob(greedyBook, j, 0x5eedn));
const greedyCost = greedy.reduce((s, p) => s + (p?.cost ?? 0), 0);
const allPlaced = batch.value.length === subJobs.length && exact.value.total < 1e17;
const costVsOptimal = allPlaced ? batchCost / exact.value.total : Number.NaN;
console.log(
  `subsample ${subJobs.length} jobs × ${subOffers.length} offers: optimum ${exact.value.total.toFixed(2)} AIC (${exact.ms.toFixed(0)} ms), ` +
    `batch ${batchCost.toFixed(2)} (${batch.value.length} placed, ${batch.ms.toFixed(0)} ms), online greedy ${greedyCost.toFixed(2)} (${greedy.filter(Boolean).length} placed)`,
);
const fill = fleetFill();
for (const r of fill.runs)
  console.log(
    `fleet of ${fill.machines} machines, ${r.gpus} GPUs filled to 100 % of demand (${r.jobs} jobs): unallocated GPUs ` +
      `allocator ${r.allocator.toFixed(1)}, best-fit ${r.bestFit.toFixed(1)}, first-fit ${r.firstFit.toFixed(1)}`,
  );
const fewest = (r: (typeof fill.runs)[number]) => r.allocator < r.bestFit && r.allocator < r.firstFit;
const wins = fill.runs.filter(fewest).length;
console.log(
  `unallocated GPUs over ${fill.runs.length} fleets: allocator ${fill.unallocated.allocator.toFixed(1)}, best-fit ` +
    `${fill.unallocated.bestFit.toFixed(1)}, first-fit ${fill.unallocated.firstFit.toFixed(1)}; fewest of the three ` +
    `in ${wins} of ${fill.runs.length} fleets`,
);
const identical = identicalFleetRate();
console.log(
  `identical fleet: ${identical.machines} machines (${identical.families} families, ${identical.groups} groups at the end), ` +
    `${identical.placed} of ${identical.attempts} placements in ${identical.ms.toFixed(0)} ms wall ` +
    `(${identical.jobsPerS.toFixed(0)} jobs/s), ${identical.cpuMs.toFixed(0)} ms CPU (${identical.jobsPerCpuS.toFixed(0)} jobs/s)`,
);
const ties = tiesTimings();
console.log(
  `3,000 offers at one price: placeJob ${ties.placeJobMs.toFixed(3)} ms, placeBatch of 20 ${ties.batch20Ms.toFixed(2)} ms`,
);
console.log(
  JSON.stringify({
    bench: 'allocator',
    jobsPerS: Math.round(jobsPerS),
    jobsPerSIdentical: Math.round(identical.jobsPerCpuS),
    jobsPerSIdenticalWall: Math.round(identical.jobsPerS),
    costVsOptimal: Number(costVsOptimal.toFixed(4)),
    unallocatedGpuVsBestFit: Number((fill.unallocated.allocator / fill.unallocated.bestFit).toFixed(3)),
    unallocatedGpus: {
      allocator: Number(fill.unallocated.allocator.toFixed(2)),
      bestFit: Number(fill.unallocated.bestFit.toFixed(2)),
      firstFit: Number(fill.unallocated.firstFit.toFixed(2)),
    },
    fleetGpus: fill.gpus,
    fleetsWithFewestUnallocated: `${wins}/${fill.runs.length}`,
    tiesPlaceJobMs: Number(ties.placeJobMs.toFixed(4)),
    tiesBatch20Ms: Number(ties.batch20Ms.toFixed(3)),
    baselineFullScanJobsPerS: Math.round(baselineJobsPerS),
    speedupVsFullScan: Number((jobsPerS / baselineJobsPerS).toFixed(1)),
    onlineGreedyCostVsOptimal: greedy.every(Boolean) ? Number((greedyCost / exact.value.total).toFixed(4)) : null,
    batchMs: Math.round(batch.ms),
    providers: PROVIDERS,
  }),
);
