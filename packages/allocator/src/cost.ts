import { fitGpus, initialState } from './machine-state.ts';
import { type Shape, shapeOfJob } from './requirement.ts';
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

/**
 * Whether `offer`, with the free amounts it declares, can run `job` at all: hardware class, memory, price ceiling,
 * stake, exclusions, backend, and the exact hardware requirement (models, per-GPU memory, GPUs on one machine or a
 * fraction of one, CPU cores and memory).
 */
export function isFeasible(offer: Offer, job: JobDemand): boolean {
  const shape = shapeOfJob(job);
  return (
    isStaticallyFeasible(offer, job, shape) &&
    !isExcluded(offer, job) &&
    fitGpus(offer.machine?.gpus ?? [], initialState(offer), shape) !== undefined
  );
}

/** The checks that do not depend on what is still free or on who the provider is. */
export function isStaticallyFeasible(offer: Offer, job: JobDemand, shape: Shape): boolean {
  const backends = offer.machine?.backends;
  return (
    offer.hwClass >= job.minHwClass &&
    offer.memoryGiB >= job.minMemoryGiB &&
    pricePerHourOf(offer, shape) <= job.maxPricePerHour &&
    offer.stake >= job.minStake &&
    offer.tflops > 0 &&
    (!shape.usesResources || offer.machine !== undefined) &&
    (shape.backend === undefined || backends === undefined || backends.includes(shape.backend))
  );
}

export function isExcluded(offer: Offer, job: JobDemand): boolean {
  const excluded = job.excludeProviders;
  if (!excluded || excluded.length === 0) return false;
  const provider = offer.provider.toLowerCase();
  return excluded.some((p) => p.toLowerCase() === provider);
}

/** What the job pays per hour: price per GPU × GPUs on a machine offer, the offer's price for a job without GPUs. */
export function pricePerHourOf(offer: Offer, shape: Shape): number {
  return shape.gpus > 0 ? offer.pricePerHour * shape.gpus : offer.pricePerHour;
}

/** Hours `offer` needs to compute `job` (on a machine offer, with the GPUs the job takes). */
export function computeHours(offer: Offer, job: JobDemand): number {
  const gpus = shapeOfJob(job).gpus;
  return job.workTflop / (offer.tflops * (gpus > 0 ? gpus : 1)) / SECONDS_PER_HOUR;
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

/**
 * The price the provider charges for `job`, AIC: price × work / throughput. On a machine offer both price and
 * throughput are per GPU, so the GPU count cancels out (g GPUs cost g times as much per hour for 1/g of the time).
 */
export function priceOf(offer: Offer, job: JobDemand): number {
  return (offer.pricePerHour * job.workTflop) / offer.tflops / SECONDS_PER_HOUR;
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

/** Whether the offer's verified cache already holds the job's dataset (placing it there moves no data). */
export function holdsDataset(offer: Offer, job: JobDemand): boolean {
  return job.datasetId !== undefined && job.datasetMB > 0 && hasCached(offer, job.datasetId);
}

function hasCached(offer: Offer, datasetId: string): boolean {
  const cached = offer.cachedDatasets;
  return cached instanceof Set ? cached.has(datasetId) : (cached as readonly string[]).includes(datasetId);
}
