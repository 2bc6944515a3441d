/**
 * Batch placement: many jobs at once, respecting every consumable.
 * - Jobs with hardware amounts (GPUs, CPU, memory) are placed largest first (GPUs, then CPU, then memory), each by
 *   the online rule, which uses up what it takes: a batch can never put more on a machine than it has.
 * - Jobs that need only a slot go through an exact min-cost assignment: each lists its K cheapest feasible machines
 *   (for a group of identical machines, up to one per job, from a seeded offset), each cost nudged up by at most the
 *   near-best fraction with the seed (so among near-equal offers the chain's randomness, not the parties, decides);
 *   successive shortest paths place them on slots. Jobs left out while they still had unlisted machines get longer
 *   lists (K × 4), and the assignment runs again.
 */
import { seededUniforms } from '@aic/core';
import { assignSparse, type SparseEdge } from './assignment.ts';
import { memberFits, type Scan, scanGroups, takeOn } from './candidates.ts';
import { priceOf } from './cost.ts';
import type { Machine, OfferBook } from './offer-book.ts';
import { placeJob } from './place.ts';
import { type Shape, shapeOfJob } from './requirement.ts';
import type { JobDemand, Placement } from './types.ts';

export interface BatchOptions {
  /** Machines first considered per slot-only job (default 16). */
  candidatesPerJob?: number;
}

interface Problem {
  machines: Machine[];
  edges: SparseEdge[][];
  trueCost: Array<Map<number, number>>;
  truncated: boolean[];
  shapes: Shape[];
}

export function placeBatch(
  book: OfferBook,
  jobs: readonly JobDemand[],
  seed: bigint,
  options: BatchOptions = {},
): Placement[] {
  const shaped = jobs.map((job) => ({ job, shape: shapeOfJob(job) }));
  const sized = shaped.filter((j) => j.shape.usesResources).sort(largestFirst);
  const placements: Placement[] = [];
  for (const { job } of sized) {
    const p = placeJob(book, job, seed);
    if (p) placements.push(p);
  }
  const slotJobs = shaped.filter((j) => !j.shape.usesResources).map((j) => j.job);
  return placements.concat(assignSlots(book, slotJobs, seed, options.candidatesPerJob ?? 16));
}

function assignSlots(book: OfferBook, jobs: readonly JobDemand[], seed: bigint, first: number): Placement[] {
  if (jobs.length === 0) return [];
  let k = first;
  let problem = buildProblem(book, jobs, seed, k);
  let assignment = assignSparse(problem.edges, problem.machines.length);
  while (k < book.size && assignment.some((o, i) => o < 0 && problem.truncated[i])) {
    k *= 4;
    problem = buildProblem(book, jobs, seed, k);
    assignment = assignSparse(problem.edges, problem.machines.length);
  }
  const placements: Placement[] = [];
  assignment.forEach((column, i) => {
    if (column < 0) return;
    const machine = problem.machines[column]!;
    const job = jobs[i]!;
    takeOn(book, machine, problem.shapes[i]!, job.id);
    placements.push({
      jobId: job.id,
      offerId: machine.offer.id,
      provider: machine.offer.provider,
      cost: problem.trueCost[i]!.get(column)!,
      price: priceOf(machine.offer, job),
    });
  });
  return placements;
}

function buildProblem(book: OfferBook, jobs: readonly JobDemand[], seed: bigint, k: number): Problem {
  const problem: Problem = { machines: [], edges: [], trueCost: [], truncated: [], shapes: [] };
  const firstColumn = new Map<Machine, number>(); // machine → index of its first slot column
  /** One assignment column per remaining slot of `machine` (at most one per job), created on first use. */
  const slotColumns = (machine: Machine): number[] => {
    const slots = Math.min(machine.state.slots, jobs.length);
    let first = firstColumn.get(machine);
    if (first === undefined) {
      first = problem.machines.length;
      firstColumn.set(machine, first);
      for (let s = 0; s < slots; s++) problem.machines.push(machine);
    }
    return Array.from({ length: slots }, (_, s) => first! + s);
  };
  for (const job of jobs) {
    const uniforms = seededUniforms(seed, job.id);
    const scan = scanGroups(book, job, book.model.nearBestFraction, k);
    const list: SparseEdge[] = [];
    const costs = new Map<number, number>();
    let listed = 0;
    for (const cand of scan.candidates) {
      for (const machine of someMembers(scan, cand.group.members, Math.min(jobs.length, k), uniforms())) {
        const nudged = cand.cost * (1 + book.model.nearBestFraction * uniforms());
        for (const column of slotColumns(machine)) {
          list.push({ column, cost: nudged });
          costs.set(column, cand.cost);
        }
        listed++;
      }
    }
    problem.edges.push(list);
    problem.trueCost.push(costs);
    problem.truncated.push(listed >= k);
    problem.shapes.push(scan.shape);
  }
  return problem;
}

/** Up to `count` members not excluded, starting at a seeded offset (so the seed, not the order, picks among ties). */
function someMembers(scan: Scan, members: readonly Machine[], count: number, u: number): Machine[] {
  const out: Machine[] = [];
  const start = Math.floor(u * members.length);
  for (let i = 0; i < members.length && out.length < count; i++) {
    const m = members[(start + i) % members.length]!;
    if (memberFits(scan, m)) out.push(m);
  }
  return out;
}

function largestFirst(a: { job: JobDemand; shape: Shape }, b: { job: JobDemand; shape: Shape }): number {
  return (
    b.shape.gpus - a.shape.gpus ||
    b.shape.cpuMilli - a.shape.cpuMilli ||
    b.shape.memMiB - a.shape.memMiB ||
    (a.job.id < b.job.id ? -1 : a.job.id > b.job.id ? 1 : 0)
  );
}
