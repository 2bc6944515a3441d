/**
 * One run of the locality bench: jobs arrive tick by tick; each tick the providers re-gossip their offers (free
 * slots and caches as they are then) and the coordinator places that tick's jobs with the real allocator on a book
 * of those offers. A provider that runs a job on a dataset it lacks fetches it (the bytes moved) and caches it
 * (bounded LRU); a running job frees its slot when it ends. `aware: false` blanks the locality inputs (no dataset,
 * size, holders or caches in the demand and offers): the same allocator, locality-blind.
 */
import { createOfferBook, DEFAULT_COST_MODEL, type JobDemand, type Offer, placeJob } from '@aic/allocator';
import type { SimJob, SimProvider } from './market.ts';

export interface RunResult {
  readonly placed: number;
  readonly unplaced: number;
  readonly bytesMoved: number;
  readonly cacheHits: number;
  /** Sum of the prices the placed jobs pay, AIC. */
  readonly price: number;
}

export function simulate(
  providers: readonly SimProvider[],
  jobs: readonly SimJob[],
  o: { aware: boolean; jobsPerTick: number },
): RunResult {
  const caches = providers.map((p) => p.cache.clone()); // both runs start from the same caches
  const busy = new Int32Array(providers.length);
  const ending = new Map<number, number[]>(); // tick → provider indexes whose job ends then
  const index = new Map(providers.map((p, i) => [p.id, i]));
  let placed = 0;
  let bytesMoved = 0;
  let cacheHits = 0;
  let price = 0;
  for (let start = 0, tick = 0; start < jobs.length; start += o.jobsPerTick, tick++) {
    for (const i of ending.get(tick) ?? []) busy[i]!--;
    ending.delete(tick);
    const offers: Offer[] = [];
    providers.forEach((p, i) => {
      const free = p.slots - busy[i]!;
      if (free <= 0) return;
      offers.push({
        id: p.id,
        provider: p.id,
        hwClass: p.hwClass,
        memoryGiB: 64,
        tflops: p.tflops,
        pricePerHour: p.pricePerHour,
        stake: 1_000,
        reputation: p.reputation,
        coordinate: p.coordinate,
        bandwidthMBps: p.bandwidthMBps,
        cachedDatasets: o.aware ? caches[i]!.keys() : [],
        slots: free,
      });
    });
    const book = createOfferBook(offers, DEFAULT_COST_MODEL);
    for (const job of jobs.slice(start, start + o.jobsPerTick)) {
      const demand: JobDemand = {
        id: job.id,
        minHwClass: job.minHwClass,
        minMemoryGiB: 0,
        workTflop: job.workTflop,
        maxPricePerHour: Number.MAX_SAFE_INTEGER,
        minStake: 0,
        ...(o.aware
          ? { datasetId: job.dataset.key, datasetMB: job.dataset.bytes / 1e6, dataSources: job.dataset.holders }
          : { datasetMB: 0, dataSources: [] }),
      };
      const placement = placeJob(book, demand, BigInt(tick) * 1_000_003n + 17n);
      if (!placement) continue;
      placed++;
      price += placement.price;
      const i = index.get(placement.provider)!;
      busy[i]!++;
      const endsAt = tick + job.ticks;
      ending.set(endsAt, [...(ending.get(endsAt) ?? []), i]);
      const cache = caches[i]!;
      if (cache.has(job.dataset.key)) {
        cacheHits++;
        cache.touch(job.dataset.key);
      } else {
        bytesMoved += job.dataset.bytes;
        cache.add(job.dataset.key, job.dataset.bytes);
      }
    }
  }
  return { placed, unplaced: jobs.length - placed, bytesMoved, cacheHits, price };
}
