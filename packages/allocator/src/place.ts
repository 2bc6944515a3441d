/**
 * Online placement of one job: the seed (from the hash of the block after the escrow) picks uniformly among the
 * machines whose score is near the best, so neither the requester nor a provider can steer who gets the job, and
 * anyone can recompute it. The draw is over machines, found through their groups: O(groups near the best), however
 * many identical machines tie.
 */
import { seededUniforms } from '@aic/core';
import { type GroupCandidate, pickMember, releaseJob, type Scan, scanGroups, takeOn } from './candidates.ts';
import { holdsDataset, priceOf } from './cost.ts';
import type { Group, Machine, OfferBook } from './offer-book.ts';
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
  const next = seededUniforms(seed, job.id);
  let blocked: Set<Group> | undefined;
  for (;;) {
    const scan = preferHolders(scanGroups(book, job, book.model.nearBestFraction, 1, blocked), job);
    if (scan.candidates.length === 0) return undefined;
    const picked = pickMember(scan, next);
    if (picked) {
      return {
        machine: picked.machine,
        shape: scan.shape,
        placement: placementOf(job, picked.machine, picked.candidate, scan.shape),
      };
    }
    // None of the near-best groups' machines has the CPU and memory as well: look further.
    blocked ??= new Set();
    for (const c of scan.candidates) blocked.add(c.group);
  }
}

/**
 * Among near-best candidates, the ones that already hold the job's dataset go first: the seed draws among those
 * when there are any. Within the near-best margin the requester's bill hardly differs, but a fetch moves the whole
 * dataset over the network (and a small dataset's transfer time is far below the margin, so cost alone would
 * ignore it). Caches are per family (part of its key), so the filter is exact per candidate.
 */
function preferHolders(scan: Scan, job: JobDemand): Scan {
  if (job.datasetId === undefined || job.datasetMB <= 0 || scan.candidates.length < 2) return scan;
  const holding = scan.candidates.filter((c) => holdsDataset(c.group.family.rep, job));
  return holding.length === 0 || holding.length === scan.candidates.length ? scan : { ...scan, candidates: holding };
}

export function placementOf(job: JobDemand, machine: Machine, cand: GroupCandidate, shape: Shape): Placement {
  const offer = machine.offer;
  const price = priceOf(offer, job);
  if (!offer.machine) return { jobId: job.id, offerId: offer.id, provider: offer.provider, cost: cand.cost, price };
  // One literal, no spreads: this runs once per placement and its garbage counts at 20,000 placements a second.
  const share = shape.gpuUnits / GPU_UNITS;
  const gpus = new Array<{ index: number; share: number }>(cand.gpus.length);
  for (let i = 0; i < gpus.length; i++) gpus[i] = { index: cand.gpus[i]!, share };
  return {
    jobId: job.id,
    offerId: offer.id,
    provider: offer.provider,
    cost: cand.cost,
    price,
    gpus,
    fragmentationDelta: cand.delta,
  };
}
