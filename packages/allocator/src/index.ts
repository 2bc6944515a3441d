/**
 * @aic/allocator — the Resource Allocator (DESIGN.md §6): pure functions that match jobs to GPU Vessel offers.
 * Feasibility (hardware class, exact hardware requirements: GPU models, per-GPU memory, GPUs on one machine or a
 * fraction of one, CPU and memory amounts, backend; price ceiling, stake), cost (price × estimated duration,
 * data-transfer time from network coordinates and cache contents, reputation) combined with the machine's change of
 * expected fragmentation, a seeded choice among the near-best (the seed is the hash of the block after the escrow),
 * batch placement, co-located groups. No I/O, no clock: decisions are reproducible by anyone from the same inputs.
 */

export { foldSeed, seededUniforms } from '@aic/core';
export { assignSparse, type SparseEdge } from './assignment.ts';
export { type BatchOptions, placeBatch } from './batch.ts';
export {
  computeCost,
  computeHours,
  costOf,
  holdsDataset,
  isFeasible,
  priceOf,
  pricePerHourOf,
  rttMs,
  transferHours,
} from './cost.ts';
export * from './errors.ts';
export { assertSatisfiable, type Unsatisfied, type UnsatisfiedReason, whyUnsatisfiable } from './explain.ts';
export { fragmentationOf, type MixShape, mixShapes } from './fragmentation.ts';
export { assertGroupSatisfiable, type GroupPlacement, placeGroup } from './group.ts';
export { hungarian } from './hungarian.ts';
export { type FreeState, fitGpus, initialState } from './machine-state.ts';
export { compareIds, createOfferBook, type OfferBook, type OfferBookOptions } from './offer-book.ts';
export { choosePlacement, placeJob, releasePlacement } from './place.ts';
export {
  DEFAULT_JOB_MIX,
  GPU_UNITS,
  gpuModelMatches,
  jobMixOf,
  MAX_GPUS_PER_MACHINE,
  normalizeGpuModel,
  type Shape,
  shapeOf,
  shapeOfJob,
} from './requirement.ts';
export { type Candidate, cheapestCandidates, releaseSlot, slotsLeft, takeSlot } from './slots.ts';
export {
  FLEET_MACHINE_TYPES,
  type FleetJobOptions,
  type FleetOptions,
  type MachineType,
  syntheticFleet,
  syntheticFleetJobs,
} from './synthetic-fleet.ts';
export { syntheticJobs, syntheticOffers } from './synthetic-market.ts';
export * from './types.ts';
