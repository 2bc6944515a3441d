/**
 * The near-best search: which groups of identical machines can take a job and at what score, cheapest first. Costs
 * are computed once per family, fit and fragmentation once per group (cached per job shape), so the work per
 * placement grows with the number of distinct (family, free state) pairs near the best score, not with the number
 * of machines in them: ties among identical machines cost nothing.
 */
import { AicError } from '@aic/core';
import { computeCost, costOf, isStaticallyFeasible } from './cost.ts';
import { fragmentationOf } from './fragmentation.ts';
import { applyShape, copyState, fitGpus, withinDeclared } from './machine-state.ts';
import { compareIds, type Group, groupFragmentation, type Machine, type OfferBook, regroup } from './offer-book.ts';
import { type Shape, shapeOfJob } from './requirement.ts';
import type { JobDemand } from './types.ts';

export interface GroupCandidate {
  readonly group: Group;
  /** Cost without fragmentation (price × duration + transfer, reputation-weighted). */
  readonly cost: number;
  /** What the near-best rule ranks by: cost × (1 + w × (ΔF + g)). */
  readonly score: number;
  readonly delta: number;
  readonly gpus: readonly number[];
  /** Members the job may go to (its excluded providers left out). */
  readonly size: number;
}

export interface Scan {
  readonly shape: Shape;
  /** Ascending by score (ties by family and group key). */
  readonly candidates: readonly GroupCandidate[];
  readonly excluded: ReadonlySet<Machine>;
}

/**
 * The groups within `fraction` of the best score, plus the next best until they hold at least `atLeast` machines.
 * Scans each eligible class's families in unit-cost order and stops when no later family can qualify.
 */
export function scanGroups(book: OfferBook, job: JobDemand, fraction: number, atLeast = 1): Scan {
  const shape = shapeOfJob(job);
  const excluded = excludedMachines(book, job);
  const excludedIn = new Map<Group, number>();
  for (const m of excluded) excludedIn.set(m.group, (excludedIn.get(m.group) ?? 0) + 1);
  const weight = book.model.fragmentationWeight ?? 1;
  const found: GroupCandidate[] = [];
  let bound = Number.POSITIVE_INFINITY;
  for (let c = Math.max(0, job.minHwClass); c < book.byClass.length; c++) {
    const list = book.byClass[c]!;
    let i = book.heads[c]!;
    while (i < list.length && list[i]!.live.length === 0) i++;
    book.heads[c] = i; // full cheap families are skipped for every later job
    for (; i < list.length; i++) {
      const family = list[i]!;
      if (computeCost(family.rep, job, book.model) > bound) break; // nothing later in this list can qualify
      if (family.live.length === 0 || !isStaticallyFeasible(family.rep, job, shape)) continue;
      let cost: number | undefined;
      for (const group of family.live) {
        const ev = evaluate(book, group, shape);
        if (ev.gpus === undefined) continue;
        const size = group.members.length - (excludedIn.get(group) ?? 0);
        if (size <= 0) continue;
        cost ??= costOf(family.rep, job, book.model);
        const score = cost * (1 + weight * Math.max(0, ev.delta + shape.gpus));
        if (score > bound) continue;
        found.push({ group, cost, score, delta: ev.delta, gpus: ev.gpus, size });
        bound = boundOf(found, atLeast, fraction, bound, score);
      }
    }
  }
  found.sort(byScore);
  const best = found[0]?.score ?? 0;
  const candidates: GroupCandidate[] = [];
  let members = 0;
  for (const cand of found) {
    if (members >= atLeast && cand.score > best * (1 + fraction)) break;
    candidates.push(cand);
    members += cand.size;
  }
  return { shape, candidates, excluded };
}

/** The `index`-th machine (0-based) among the candidates' members, excluded ones skipped. */
export function memberAt(scan: Scan, index: number): { machine: Machine; candidate: GroupCandidate } | undefined {
  let x = index;
  for (const candidate of scan.candidates) {
    if (x >= candidate.size) {
      x -= candidate.size;
      continue;
    }
    for (const machine of candidate.group.members) {
      if (scan.excluded.has(machine)) continue;
      if (x-- === 0) return { machine, candidate };
    }
  }
  return undefined;
}

export function totalMembers(scan: Scan): number {
  return scan.candidates.reduce((s, c) => s + c.size, 0);
}

/** Uses up what `shape` takes on `machine` (GPUs `gpus`); with a job id, remembers it for the release. */
export function takeOn(book: OfferBook, machine: Machine, shape: Shape, jobId?: string): readonly number[] {
  if (jobId !== undefined && book.held.has(jobId)) {
    throw new AicError('ALLOCATOR_JOB_CONFLICT', `job ${jobId} is already placed`, { details: { jobId } });
  }
  const gpus = fitGpus(machine.family.gpus, machine.state, shape);
  if (gpus === undefined) {
    throw new AicError('ALLOCATOR_NO_CAPACITY', `offer ${machine.offer.id} cannot take this job`, {
      details: { offerId: machine.offer.id },
    });
  }
  applyShape(machine.state, shape, gpus, 1);
  regroup(book, machine);
  if (jobId !== undefined) book.held.set(jobId, { machine, shape, gpus });
  return gpus;
}

/** Gives back exactly what job `jobId` took. Throws ALLOCATOR_PLACEMENT_UNKNOWN for a job the book does not hold. */
export function releaseJob(book: OfferBook, jobId: string): void {
  const held = book.held.get(jobId);
  if (!held) {
    throw new AicError('ALLOCATOR_PLACEMENT_UNKNOWN', `job ${jobId} holds nothing here`, { details: { jobId } });
  }
  const { machine, shape, gpus } = held;
  applyShape(machine.state, shape, gpus, -1);
  if (!withinDeclared(machine.state, machine.declared)) {
    applyShape(machine.state, shape, gpus, 1);
    throw new AicError('ALLOCATOR_RELEASE_INVALID', `release of ${jobId} would exceed what the offer declared`);
  }
  book.held.delete(jobId);
  regroup(book, machine);
  book.heads[machine.offer.hwClass] = 0;
}

function evaluate(book: OfferBook, group: Group, shape: Shape): { gpus: readonly number[] | undefined; delta: number } {
  let ev = group.evals.get(shape.key);
  if (ev) return ev;
  const gpus = fitGpus(group.family.gpus, group.state, shape);
  let delta = 0;
  if (gpus !== undefined && shape.usesResources && group.family.gpus.length > 0 && book.mix.length > 0) {
    const after = copyState(group.state);
    applyShape(after, shape, gpus, 1);
    delta = fragmentationOf(group.family.gpus, after, book.mix) - groupFragmentation(book, group);
  }
  ev = { gpus, delta };
  group.evals.set(shape.key, ev);
  return ev;
}

function excludedMachines(book: OfferBook, job: JobDemand): Set<Machine> {
  const out = new Set<Machine>();
  for (const p of job.excludeProviders ?? []) for (const m of book.byProvider.get(p.toLowerCase()) ?? []) out.add(m);
  return out;
}

/** The score below which a later candidate must be: (the score where `atLeast` machines are reached) × (1 + f). */
function boundOf(found: GroupCandidate[], atLeast: number, fraction: number, bound: number, score: number): number {
  if (atLeast <= 1) return Math.min(bound, score * (1 + fraction));
  const scores = found.map((c) => [c.score, c.size] as const).sort((a, b) => a[0] - b[0]);
  let members = 0;
  for (const [s, size] of scores) {
    members += size;
    if (members >= atLeast) return Math.min(bound, s * (1 + fraction));
  }
  return bound;
}

function byScore(a: GroupCandidate, b: GroupCandidate): number {
  return (
    a.score - b.score ||
    compareIds(a.group.family.rep.id, b.group.family.rep.id) ||
    compareIds(a.group.key, b.group.key)
  );
}
