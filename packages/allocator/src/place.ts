/**
 * Online placement of one job: the seed (from the hash of the block after the escrow) picks uniformly among the
 * machines whose score is near the best, so neither the requester nor a provider can steer who gets the job, and
 * anyone can recompute it. The draw is over machines, found through their groups: O(groups near the best), however
 * many identical machines tie.
 */
import { seededUniforms } from '@aic/core';
import { type GroupCandidate, memberAt, releaseJob, scanGroups, takeOn, totalMembers } from './candidates.ts';
import { priceOf } from './cost.ts';
import type { Machine, OfferBook } from './offer-book.ts';
import { GPU_UNITS, type Shape } from './requirement.ts';
import type { JobDemand, Placement } from './types.ts';

/** Places `job` and uses up what it takes on the chosen machine; undefined when no offer is feasible. */
export function placeJob(book: OfferBook, job: JobDemand, seed: bigint): Placement | undefined {
  const decision = decide(book, job, seed);
  if (!decision) return undefined;
  takeOn(book, decision.machine, decision.shape, job.id);
  return decision.placement;
}

/** The placement `placeJob` would make, without using anything up (for audits: recompute a recorded decision). */
export function choosePlacement(book: OfferBook, job: JobDemand, seed: bigint): Placement | undefined {
  return decide(book, job, seed)?.placement;
}

/** Gives back exactly what a placed job took (its GPUs' shares, CPU, memory, slot). */
export function releasePlacement(book: OfferBook, placement: Pick<Placement, 'jobId'> | string): void {
  releaseJob(book, typeof placement === 'string' ? placement : placement.jobId);
}

interface Decision {
  machine: Machine;
  shape: Shape;
  placement: Placement;
}

function decide(book: OfferBook, job: JobDemand, seed: bigint): Decision | undefined {
  const scan = scanGroups(book, job, book.model.nearBestFraction);
  const total = totalMembers(scan);
  if (total === 0) return undefined;
  const picked = memberAt(scan, Math.floor(seededUniforms(seed, job.id)() * total))!;
  return {
    machine: picked.machine,
    shape: scan.shape,
    placement: placementOf(job, picked.machine, picked.candidate, scan.shape),
  };
}

export function placementOf(job: JobDemand, machine: Machine, cand: GroupCandidate, shape: Shape): Placement {
  const offer = machine.offer;
  const base = {
    jobId: job.id,
    offerId: offer.id,
    provider: offer.provider,
    cost: cand.cost,
    price: priceOf(offer, job),
  };
  if (!offer.machine) return base;
  return {
    ...base,
    gpus: cand.gpus.map((index) => ({ index, share: shape.gpuUnits / GPU_UNITS })),
    fragmentationDelta: cand.delta,
  };
}
