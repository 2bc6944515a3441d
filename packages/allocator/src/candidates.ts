/**
 * The near-best search: which groups of identical machines can take a job and at what score, cheapest first. Costs
 * are computed once per family, GPU fit and fragmentation once per group (cached per GPU shape), so the work per
 * placement grows with the number of distinct (family, GPU state) pairs near the best score, not with the number
 * of machines in them: ties among identical machines cost nothing. The machine is then drawn with the seed among
 * the near-best groups' members that also have the job's CPU, memory and a slot (rejection: uniform over those).
 */
import { AicError } from '@aic/core';
import { computeCost, costOf, isStaticallyFeasible } from './cost.ts';
import { fragmentationMasked } from './fragmentation.ts';
import { applyShape, copyState, fitGpus, gpuEligible, hostFits, withinDeclared } from './machine-state.ts';
import {
  compareIds,
  type Family,
  type Group,
  type GroupEval,
  groupFragmentation,
  type Machine,
  type OfferBook,
  regroup,
  shapeIdOf,
  tightenBounds,
} from './offer-book.ts';
import { GPU_UNITS, type Shape, shapeOfJob } from './requirement.ts';
import { addSupply, scarcityOf } from './scarcity.ts';
import { DEFAULT_FRAGMENTATION_WEIGHT, DEFAULT_SCARCITY_WEIGHT, type JobDemand } from './types.ts';

export interface GroupCandidate {
  readonly group: Group;
  /** Cost without fragmentation (price × duration + transfer, reputation-weighted). */
  readonly cost: number;
  /** What the near-best rule ranks by: cost × (1 + w × (ΔF + g + host)), see {@link scanGroups}. */
  readonly score: number;
  readonly delta: number;
  readonly gpus: readonly number[];
  /** Members not excluded (some may lack the job's CPU or memory: the draw rejects those). */
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
 *
 * Score = cost × (1 + w × (ΔF + g + host + scarce)): ΔF the change of the machine's expected GPU fragmentation
 * (≥ −g), g the GPUs taken, host = max(0, (largest share of the machine's CPU or memory taken) × its GPUs − g), the
 * GPUs' worth of host resources a CPU- or memory-heavy job strands, scarce = s × Σ share × r(class) over the GPUs
 * taken (scarcity.ts). w and s from the cost model (defaults 20 and 10: measured on the synthetic fleet by
 * `npm run bench -- allocator`; price and these terms then trade ratio for ratio). Every term is ≥ 0, so the unit-cost order is a lower bound.
 */
export function scanGroups(
  book: OfferBook,
  job: JobDemand,
  fraction: number,
  atLeast = 1,
  blocked?: ReadonlySet<Group>,
): Scan {
  const shape = shapeOfJob(job);
  const shapeId = shapeIdOf(book, shape);
  const excluded = excludedMachines(book, job);
  const excludedIn = excluded.size === 0 ? NO_COUNTS : new Map<Group, number>();
  for (const m of excluded) excludedIn.set(m.group, (excludedIn.get(m.group) ?? 0) + 1);
  const weight = book.model.fragmentationWeight ?? DEFAULT_FRAGMENTATION_WEIGHT;
  const scarcityWeight = book.model.scarcityWeight ?? DEFAULT_SCARCITY_WEIGHT;
  const scarcity = shape.gpuCount > 0 && book.mix.length > 0 ? scarcityOf(book.supply, book.mix) : undefined;
  const share = shape.gpuUnits / GPU_UNITS;
  // Lower bounds of the placement terms (ΔF + g ≥ 0 and host ≥ 0 always; scarce ≥ its cheapest eligible class):
  // a family, or the rest of a class's list, whose bound is above the best score so far is not looked into.
  const perGpu = shape.gpuCount * share * scarcityWeight * LOWER;
  const globalScarce = scarcity ? perGpu * minScarcity(scarcity, eligibleClasses(book, shape, shapeId)) : 0;
  const found: GroupCandidate[] = [];
  let bound = Number.POSITIVE_INFINITY;
  for (let c = Math.max(0, job.minHwClass); c < book.byClass.length; c++) {
    const list = book.byClass[c]!;
    let i = book.heads[c]!;
    while (i < list.length && list[i]!.live.length === 0) i++;
    book.heads[c] = i; // full cheap families are skipped for every later job
    for (; i < list.length; i++) {
      const family = list[i]!;
      const least = computeCost(family.rep, job, book.model);
      if (least * (1 + weight * globalScarce) * LOWER > bound) break; // nothing later in this list can qualify
      if (family.live.length === 0 || !isStaticallyFeasible(family.rep, job, shape) || !canHost(family, shape, shapeId))
        continue;
      const host = hostTerm(family, shape);
      const familyScarce = scarcity ? perGpu * minScarcity(scarcity, familyClasses(family, shape, shapeId)) : 0;
      if (least * (1 + weight * (host + familyScarce)) * LOWER > bound) continue;
      const single = family.singleClass;
      const scarceSingle = scarcity && single >= 0 ? share * scarcityWeight * scarcity[single]! : 0;
      let cost: number | undefined;
      for (const group of family.live) {
        if (group.cpuBound < shape.cpuMilli || group.memBound < shape.memMiB || blocked?.has(group)) continue;
        const ev = evaluate(book, group, shape, shapeId);
        if (ev.gpus === undefined) continue;
        const size =
          excludedIn === NO_COUNTS ? group.members.length : group.members.length - (excludedIn.get(group) ?? 0);
        if (size <= 0) continue;
        cost ??= costOf(family.rep, job, book.model);
        let scarce = 0;
        if (scarcity) {
          if (single >= 0) for (let k = 0; k < ev.gpus.length; k++) scarce += scarceSingle;
          else for (const i of ev.gpus) scarce += share * scarcityWeight * scarcity[family.gpuClass[i]!]!;
        }
        const score = cost * (1 + weight * (Math.max(0, ev.delta + shape.gpus) + host + scarce));
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

/** Whether `machine` (in one of the scan's groups) can take the job: not excluded, with the slot, CPU and memory. */
export function memberFits(scan: Scan, machine: Machine): boolean {
  return !scan.excluded.has(machine) && hostFits(machine.state, scan.shape);
}

/**
 * Draws a machine uniformly (by the seeded stream `next`) among the candidates' members that fit: up to 16 draws
 * over all members, then a scan from the last draw. Undefined when no member fits (their bounds are then exact).
 */
export function pickMember(
  scan: Scan,
  next: () => number,
): { machine: Machine; candidate: GroupCandidate } | undefined {
  let total = 0;
  for (const c of scan.candidates) total += c.group.members.length;
  if (total === 0) return undefined;
  let x = 0;
  for (let attempt = 0; attempt < 16; attempt++) {
    x = Math.floor(next() * total);
    const hit = memberAt(scan, x);
    if (memberFits(scan, hit.machine)) return hit;
  }
  for (let i = 1; i < total; i++) {
    const hit = memberAt(scan, (x + i) % total);
    if (memberFits(scan, hit.machine)) return hit;
  }
  for (const c of scan.candidates) tightenBounds(c.group);
  return undefined;
}

function memberAt(scan: Scan, index: number): { machine: Machine; candidate: GroupCandidate } {
  let x = index;
  for (const candidate of scan.candidates) {
    const members = candidate.group.members;
    if (x < members.length) return { machine: members[x]!, candidate };
    x -= members.length;
  }
  throw new RangeError('member index out of range');
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
  for (const i of gpus) addSupply(book.supply, machine.family.gpuClass[i]!, -shape.gpuUnits);
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
  for (const i of gpus) addSupply(book.supply, machine.family.gpuClass[i]!, shape.gpuUnits);
  regroup(book, machine);
  book.heads[machine.offer.hwClass] = 0;
}

function evaluate(book: OfferBook, group: Group, shape: Shape, shapeId: number): GroupEval {
  let ev = group.evals[shapeId];
  if (ev) return ev;
  const gpus = fitGpus(group.family.gpus, group.state, shape);
  let delta = 0;
  if (gpus !== undefined && shape.gpuCount > 0 && book.mix.length > 0) {
    const after = copyState(group.state);
    applyShape(after, shape, gpus, 1);
    // The GPUs are judged as they are left, for the next jobs: the slot this job takes is not one of them (else a
    // machine's last view slot would count every GPU left on it as stranded).
    after.slots = group.state.slots;
    delta = fragmentationMasked(group.family.mixMasks, after, book.mix) - groupFragmentation(book, group);
  }
  ev = { gpus, delta };
  group.evals[shapeId] = ev;
  return ev;
}

/** Whether the family's machines have enough GPUs of an eligible model, kind and memory (free or not). */
function canHost(family: Family, shape: Shape, shapeId: number): boolean {
  if (shape.gpuCount === 0) return true;
  let ok = family.hosts[shapeId];
  if (ok === undefined) {
    ok = family.gpus.filter((g) => gpuEligible(g, shape)).length >= shape.gpuCount;
    family.hosts[shapeId] = ok;
  }
  return ok;
}

/** GPUs' worth of host resources the job strands beyond its own GPUs (0 on a machine without GPUs). */
function hostTerm(family: Family, shape: Shape): number {
  const gpus = family.gpus.length;
  if (gpus === 0 || (shape.cpuMilli === 0 && shape.memMiB === 0)) return 0;
  const cpu = family.cpuTotal > 0 ? shape.cpuMilli / family.cpuTotal : 0;
  const mem = family.memTotal > 0 ? shape.memMiB / family.memTotal : 0;
  return Math.max(0, Math.max(cpu, mem) * gpus - shape.gpus);
}

/** Scales a lower bound down by more than any rounding of the exact score's sums (so it stays a lower bound). */
const LOWER = 1 - 1e-9;

/** The GPU classes of the book a shape may use (model, kind, memory), cached per shape id. */
function eligibleClasses(book: OfferBook, shape: Shape, shapeId: number): Int32Array {
  let classes = book.eligible[shapeId];
  if (!classes) {
    const all = book.supply.classes;
    classes = Int32Array.from(all.map((g, c) => (gpuEligible(g, shape) ? c : -1)).filter((c) => c >= 0));
    book.eligible[shapeId] = classes;
  }
  return classes;
}

/** The GPU classes of a family's GPUs that a shape may use, cached per shape id. */
function familyClasses(family: Family, shape: Shape, shapeId: number): Int32Array {
  let classes = family.eligible[shapeId];
  if (!classes) {
    const set = new Set<number>();
    family.gpus.forEach((g, i) => {
      if (gpuEligible(g, shape)) set.add(family.gpuClass[i]!);
    });
    classes = Int32Array.from(set);
    family.eligible[shapeId] = classes;
  }
  return classes;
}

function minScarcity(scarcity: Float64Array, classes: Int32Array): number {
  let min = Number.POSITIVE_INFINITY;
  for (let k = 0; k < classes.length; k++) min = Math.min(min, scarcity[classes[k]!]!);
  return Number.isFinite(min) ? min : 0;
}

const NO_MACHINES: ReadonlySet<Machine> = new Set();
const NO_COUNTS: Map<Group, number> = new Map();

function excludedMachines(book: OfferBook, job: JobDemand): ReadonlySet<Machine> {
  if (!job.excludeProviders || job.excludeProviders.length === 0) return NO_MACHINES;
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
