import type { Coordinate, CostModel, JobDemand, Offer } from './types.ts';

const SECONDS_PER_HOUR = 3_600;

/** Estimated RTT between two coordinates, ms (same formula as @aic/network's Vivaldi). */
export function rttMs(a: Coordinate, b: Coordinate): number {
  let sum = 0;
  const n = Math.max(a.vec.length, b.vec.length);
  for (let i = 0; i < n; i++) {
    const d = (a.vec[i] ?? 0) - (b.vec[i] ?? 0);
    sum += d * d;
  }
  return Math.sqrt(sum) + a.height + b.height;
}

/** Whether `offer` can run `job` at all (hardware, memory, price ceiling, stake, capacity, exclusions). */
export function isFeasible(offer: Offer, job: JobDemand): boolean {
  return (
    offer.slots > 0 &&
    offer.hwClass >= job.minHwClass &&
    offer.memoryGiB >= job.minMemoryGiB &&
    offer.pricePerHour <= job.maxPricePerHour &&
    offer.stake >= job.minStake &&
    offer.tflops > 0 &&
    !(job.excludeProviders?.includes(offer.provider) ?? false)
  );
}

/** Hours `offer` needs to compute `job`. */
export function computeHours(offer: Offer, job: JobDemand): number {
  return job.workTflop / offer.tflops / SECONDS_PER_HOUR;
}

/** Hours to move the dataset to `offer`: zero when cached, else size / bandwidth plus a handshake per RTT. */
export function transferHours(offer: Offer, job: JobDemand): number {
  if (job.datasetId === undefined || job.datasetMB === 0 || hasCached(offer, job.datasetId)) return 0;
  let nearest = Number.POSITIVE_INFINITY;
  for (const source of job.dataSources) nearest = Math.min(nearest, rttMs(source, offer.coordinate));
  if (!Number.isFinite(nearest)) nearest = 0;
  // TCP-like transfer: bandwidth-bound, plus ~10 round trips of setup and slow start.
  const seconds = job.datasetMB / offer.bandwidthMBps + (10 * nearest) / 1_000;
  return seconds / SECONDS_PER_HOUR;
}

/** The price the provider charges for `job`, AIC. */
export function priceOf(offer: Offer, job: JobDemand): number {
  return offer.pricePerHour * computeHours(offer, job);
}

/** Lower bound of {@link costOf} (transfer ≥ 0): what the offer index sorts by. */
export function computeCost(offer: Offer, job: JobDemand, model: CostModel): number {
  return priceOf(offer, job) * reputationFactor(offer, model);
}

/** Cost of placing `job` on `offer`: price × estimated duration plus the value of transfer time, reputation-weighted. */
export function costOf(offer: Offer, job: JobDemand, model: CostModel): number {
  const transfer = transferHours(offer, job) * model.valueOfTimePerHour;
  return (priceOf(offer, job) + transfer) * reputationFactor(offer, model);
}

function reputationFactor(offer: Offer, model: CostModel): number {
  return 1 + model.reputationPenalty * (1 - Math.min(1, Math.max(0, offer.reputation)));
}

function hasCached(offer: Offer, datasetId: string): boolean {
  const cached = offer.cachedDatasets;
  return cached instanceof Set ? cached.has(datasetId) : (cached as readonly string[]).includes(datasetId);
}
