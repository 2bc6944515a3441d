/**
 * Online placement of one job: the seed (from the hash of the block after the escrow) picks uniformly among the
 * near-best offers, so neither the requester nor a provider can steer who gets the job, and anyone can recompute it.
 */

import { seededUniforms } from '@aic/core';
import { priceOf } from './cost.ts';
import { cheapestCandidates, type OfferBook, takeSlot } from './offer-book.ts';
import type { JobDemand, Placement } from './types.ts';

/** Places `job` and consumes the chosen offer's slot; undefined when no offer is feasible. */
export function placeJob(book: OfferBook, job: JobDemand, seed: bigint): Placement | undefined {
  const placement = choosePlacement(book, job, seed);
  if (placement) takeSlot(book, placement.offerId);
  return placement;
}

/** The placement `placeJob` would make, without consuming anything (for audits: recompute a recorded decision). */
export function choosePlacement(book: OfferBook, job: JobDemand, seed: bigint): Placement | undefined {
  const nearBest = cheapestCandidates(book, job, book.model.nearBestFraction);
  if (nearBest.length === 0) return undefined;
  const pick = nearBest[Math.floor(seededUniforms(seed, job.id)() * nearBest.length)]!;
  return {
    jobId: job.id,
    offerId: pick.offer.id,
    provider: pick.offer.provider,
    cost: pick.cost,
    price: priceOf(pick.offer, job),
  };
}
