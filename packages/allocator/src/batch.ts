/**
 * Batch placement: many jobs at once, near the minimum total cost. Each job lists its K cheapest feasible offers;
 * each cost is nudged up by at most the near-best fraction with the seed (so among near-equal offers the chain's
 * randomness, not the parties, decides); an exact sparse min-cost assignment (successive shortest paths) places
 * them on offer slots. Jobs left out while they still had unlisted feasible offers get longer lists (K × 4), and the
 * assignment runs again.
 */

import { seededUniforms } from '@aic/core';
import { assignSparse, type SparseEdge } from './assignment.ts';
import { priceOf } from './cost.ts';
import { cheapestCandidates, type OfferBook, takeSlot } from './offer-book.ts';
import type { JobDemand, Offer, Placement } from './types.ts';

export interface BatchOptions {
  /** Offers first considered per job (default 16). */
  candidatesPerJob?: number;
}

interface Problem {
  objects: Offer[];
  edges: SparseEdge[][];
  trueCost: Array<Map<number, number>>;
  truncated: boolean[];
}

export function placeBatch(
  book: OfferBook,
  jobs: readonly JobDemand[],
  seed: bigint,
  options: BatchOptions = {},
): Placement[] {
  let k = options.candidatesPerJob ?? 16;
  let problem = buildProblem(book, jobs, seed, k);
  let assignment = assignSparse(problem.edges, problem.objects.length);
  while (k < book.size && assignment.some((o, i) => o < 0 && problem.truncated[i])) {
    k *= 4;
    problem = buildProblem(book, jobs, seed, k);
    assignment = assignSparse(problem.edges, problem.objects.length);
  }
  const placements: Placement[] = [];
  assignment.forEach((object, i) => {
    if (object < 0) return;
    const offer = problem.objects[object]!;
    const job = jobs[i]!;
    takeSlot(book, offer.id);
    placements.push({
      jobId: job.id,
      offerId: offer.id,
      provider: offer.provider,
      cost: problem.trueCost[i]!.get(object)!,
      price: priceOf(offer, job),
    });
  });
  return placements;
}

function buildProblem(book: OfferBook, jobs: readonly JobDemand[], seed: bigint, k: number): Problem {
  const objects: Offer[] = [];
  const firstObject = new Map<string, number>(); // offer id → index of its first slot object
  const problem: Problem = { objects, edges: [], trueCost: [], truncated: [] };
  /** One assignment column per remaining slot of `offer` (at most one per job), created on first use. */
  const slotObjects = (offer: Offer): number[] => {
    const slots = Math.min(book.slotsLeft.get(offer.id) ?? 0, jobs.length);
    let first = firstObject.get(offer.id);
    if (first === undefined) {
      first = objects.length;
      firstObject.set(offer.id, first);
      for (let s = 0; s < slots; s++) objects.push(offer);
    }
    return Array.from({ length: slots }, (_, s) => first! + s);
  };
  for (const job of jobs) {
    const uniforms = seededUniforms(seed, job.id);
    const list: SparseEdge[] = [];
    const costs = new Map<number, number>();
    const candidates = cheapestCandidates(book, job, book.model.nearBestFraction, k);
    for (const cand of candidates) {
      const nudged = cand.cost * (1 + book.model.nearBestFraction * uniforms());
      for (const object of slotObjects(cand.offer)) {
        list.push({ column: object, cost: nudged });
        costs.set(object, cand.cost);
      }
    }
    problem.edges.push(list);
    problem.trueCost.push(costs);
    problem.truncated.push(candidates.length >= k);
  }
  return problem;
}
