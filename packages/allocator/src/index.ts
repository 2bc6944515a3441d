/**
 * @aic/allocator — the Resource Allocator (DESIGN.md §6): pure functions that match jobs to GPU Vessel offers.
 * Feasibility (hardware, memory, price ceiling, stake), cost (price × estimated duration, data-transfer time from
 * network coordinates and cache contents, reputation), a seeded choice among the near-best (the seed is the hash of
 * the block after the escrow), batch placement and co-located groups. No I/O, no clock: decisions are reproducible by
 * anyone from the same public inputs.
 */

export { foldSeed, seededUniforms } from '@aic/core';
export { assignSparse, type SparseEdge } from './assignment.ts';
export { type BatchOptions, placeBatch } from './batch.ts';
export { computeCost, computeHours, costOf, isFeasible, priceOf, rttMs, transferHours } from './cost.ts';
export { type GroupPlacement, placeGroup } from './group.ts';
export { hungarian } from './hungarian.ts';
export {
  type Candidate,
  cheapestCandidates,
  compareIds,
  createOfferBook,
  type OfferBook,
  releaseSlot,
  takeSlot,
} from './offer-book.ts';
export { choosePlacement, placeJob } from './place.ts';
export { syntheticJobs, syntheticOffers } from './synthetic-market.ts';
export * from './types.ts';
