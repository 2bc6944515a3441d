/**
 * The offers of a market, indexed for fast placement whatever the number of identical machines.
 *
 * - A *family* is a set of offers identical in everything a decision depends on except the provider (hardware,
 *   price, throughput, stake, reputation, location, caches). Families sit in one list per hardware class, sorted by
 *   the cost of one TFLOP (a lower bound of any job's score there), so a scan can stop early.
 * - Inside a family, a *group* holds the machines whose free GPU shares are equal GPU by GPU (CPU, memory and
 *   slots differ; the group keeps upper bounds of them). A placement evaluates each group once (GPU fit,
 *   fragmentation change; cached per GPU shape, since a group's GPU state never changes), draws a machine with the
 *   seed among those that also have the CPU and memory, and moves it to the group of its new state. 10,000 identical
 *   machines are one family and a few dozen groups, not 10,000 candidates.
 */
import { AicError } from '@aic/core';
import { computeCost } from './cost.ts';
import { eligibilityMasks, fragmentationMasked, type MixShape, mixShapes } from './fragmentation.ts';
import { copyState, type FreeState, gpuStateKey, gpusOf, gpuView, initialState } from './machine-state.ts';
import { DEFAULT_JOB_MIX, MAX_GPUS_PER_MACHINE, type Shape } from './requirement.ts';
import { addSupply, classOf, createSupply, type Supply } from './scarcity.ts';
import { type CostModel, DEFAULT_COST_MODEL, type Gpu, type JobDemand, type JobMixEntry, type Offer } from './types.ts';

export interface Family {
  readonly key: string;
  /** Its first offer by id: what costs are computed on (every member would give the same). */
  readonly rep: Offer;
  readonly gpus: readonly Gpu[];
  /** GPU class (scarcity index) of each GPU. */
  readonly gpuClass: Int32Array;
  /** Declared CPU (milli-cores) and memory (MiB) of each member: how much of the machine a job's host share is. */
  readonly cpuTotal: number;
  readonly memTotal: number;
  readonly unitCost: number;
  readonly groups: Map<string, Group>;
  /** Per GPU shape (by the book's shape id): whether enough of its GPUs are of an eligible model, kind, memory. */
  readonly hosts: (boolean | undefined)[];
  /** Per GPU shape id: the GPU classes of its GPUs that the shape may use (for the scarcity lower bound). */
  readonly eligible: (Int32Array | undefined)[];
  /** The GPU class of all its GPUs when they are of one class, else −1 (no GPUs: −1 too). */
  readonly singleClass: number;
  /** Per entry of the book's job mix: which of its GPUs that kind of job may use (static, so computed once). */
  readonly mixMasks: readonly Uint8Array[];
  /** Groups with members and a free slot. */
  readonly live: Group[];
}

export interface Group {
  readonly key: string;
  readonly family: Family;
  /** The free GPU shares every member has, CPU and memory unbounded (never mutated). */
  readonly state: FreeState;
  readonly members: Machine[];
  /** Upper bounds of the members' free CPU and memory (raised on every join, made exact when a search finds none). */
  cpuBound: number;
  memBound: number;
  livePos: number;
  frag: number | undefined;
  /** Per GPU shape (by the book's shape id): the GPUs a placement would use (undefined: no fit), the change of
   * fragmentation. An array, not a map keyed by text: it is read for every group of every placement. */
  readonly evals: (GroupEval | undefined)[];
}

export interface GroupEval {
  readonly gpus: readonly number[] | undefined;
  readonly delta: number;
}

/** One offer's live state in the book. */
export interface Machine {
  readonly offer: Offer;
  readonly family: Family;
  readonly declared: FreeState;
  readonly state: FreeState;
  group: Group;
  pos: number;
}

export interface OfferBook {
  readonly model: CostModel;
  readonly mix: readonly MixShape[];
  /** Free GPUs per class, fleet-wide (for scarcity). */
  readonly supply: Supply;
  /** Families by hardware class, each list ascending by unit cost. */
  readonly byClass: ReadonlyArray<readonly Family[]>;
  /** Per class, the index of the first family that may still have a free slot (the full cheap prefix is skipped). */
  readonly heads: number[];
  readonly byId: ReadonlyMap<string, Machine>;
  /** Machines by lower-cased provider (for exclusions). */
  readonly byProvider: ReadonlyMap<string, readonly Machine[]>;
  /** What each placed job holds, by job id, so a release gives back exactly that. */
  readonly held: Map<string, { machine: Machine; shape: Shape; gpus: readonly number[] }>;
  readonly size: number;
  /** Small integer ids of the GPU shapes seen by this book (index of the per-group and per-family caches). */
  readonly shapeIds: Map<string, number>;
  /** Per GPU shape id: the fleet's GPU classes that the shape may use. */
  readonly eligible: (Int32Array | undefined)[];
}

export interface OfferBookOptions {
  /** Expected job mix for the fragmentation measure (default: {@link DEFAULT_JOB_MIX}). */
  jobMix?: readonly JobMixEntry[];
}

const UNIT_JOB: JobDemand = {
  id: '',
  minHwClass: 0,
  minMemoryGiB: 0,
  workTflop: 1,
  maxPricePerHour: Number.POSITIVE_INFINITY,
  minStake: 0,
  datasetMB: 0,
  dataSources: [],
};

/** Indexes `offers`; throws ALLOCATOR_OFFER_DUPLICATE (an id names one offer) or ALLOCATOR_OFFER_INVALID. */
export function createOfferBook(
  offers: readonly Offer[],
  model: CostModel = DEFAULT_COST_MODEL,
  options: OfferBookOptions = {},
): OfferBook {
  const sorted = [...offers].sort((a, b) => compareIds(a.id, b.id)); // the book does not depend on input order
  const byClass: Family[][] = [];
  const families = new Map<string, Family>();
  const byId = new Map<string, Machine>();
  const byProvider = new Map<string, Machine[]>();
  const supply = createSupply();
  const mix = mixShapes(options.jobMix ?? DEFAULT_JOB_MIX);
  for (const offer of sorted) {
    if (byId.has(offer.id)) {
      throw new AicError('ALLOCATOR_OFFER_DUPLICATE', `duplicate offer id ${offer.id}`, { details: { id: offer.id } });
    }
    checkOffer(offer);
    const key = familyKey(offer);
    let family = families.get(key);
    const declared = initialState(offer);
    if (!family) {
      const gpuClass = Int32Array.from(gpusOf(offer), (g) => classOf(supply, g));
      family = {
        key,
        rep: offer,
        gpus: gpusOf(offer),
        gpuClass,
        cpuTotal: declared.cpuMilli,
        memTotal: declared.memMiB,
        unitCost: computeCost(offer, UNIT_JOB, model),
        groups: new Map(),
        hosts: [],
        eligible: [],
        singleClass: gpuClass.length > 0 && gpuClass.every((c) => c === gpuClass[0]) ? gpuClass[0]! : -1,
        mixMasks: eligibilityMasks(gpusOf(offer), mix),
        live: [],
      };
      families.set(key, family);
      const list = byClass[offer.hwClass] ?? [];
      byClass[offer.hwClass] = list;
      list.push(family);
    }
    const state = copyState(declared);
    for (let i = 0; i < state.gpuFree.length; i++) addSupply(supply, family.gpuClass[i]!, state.gpuFree[i]!);
    const machine: Machine = { offer, family, declared, state, group: groupFor(family, state), pos: 0 };
    addMember(machine.group, machine);
    byId.set(offer.id, machine);
    const provider = offer.provider.toLowerCase();
    const list = byProvider.get(provider) ?? [];
    byProvider.set(provider, list);
    list.push(machine);
  }
  const lists = Array.from(byClass, (l) => l ?? []);
  for (const list of lists) list.sort((a, b) => a.unitCost - b.unitCost || compareIds(a.rep.id, b.rep.id));
  return {
    model,
    mix,
    supply,
    byClass: lists,
    heads: lists.map(() => 0),
    byId,
    byProvider,
    held: new Map(),
    size: sorted.length,
    shapeIds: new Map(),
    eligible: [],
  };
}

/** The book's small integer id of a GPU shape (new ids on first sight; a book sees few distinct shapes). */
export function shapeIdOf(book: OfferBook, shape: Shape): number {
  let id = book.shapeIds.get(shape.gpuKey);
  if (id === undefined) {
    id = book.shapeIds.size;
    book.shapeIds.set(shape.gpuKey, id);
  }
  return id;
}

/** Expected fragmentation of a group's machines (cached: a group's state never changes). */
export function groupFragmentation(book: OfferBook, group: Group): number {
  group.frag ??= fragmentationMasked(group.family.mixMasks, group.state, book.mix);
  return group.frag;
}

/** Moves `machine` to the group of its (changed) state. */
export function regroup(book: OfferBook, machine: Machine): void {
  const group = groupFor(machine.family, machine.state);
  if (group === machine.group) {
    raiseBounds(group, machine);
    return;
  }
  removeMember(machine.group, machine);
  machine.group = group;
  addMember(group, machine);
  if (group.livePos >= 0) book.heads[machine.offer.hwClass] = 0; // it may be the cheapest again
}

/** Makes a group's CPU and memory bounds exact (after a search found no member with enough of both). */
export function tightenBounds(group: Group): void {
  group.cpuBound = 0;
  group.memBound = 0;
  for (const m of group.members) raiseBounds(group, m);
}

function raiseBounds(group: Group, machine: Machine): void {
  if (machine.state.cpuMilli > group.cpuBound) group.cpuBound = machine.state.cpuMilli;
  if (machine.state.memMiB > group.memBound) group.memBound = machine.state.memMiB;
}

function groupFor(family: Family, state: FreeState): Group {
  const key = gpuStateKey(state);
  let group = family.groups.get(key);
  if (!group) {
    if (family.groups.size > 4 * family.live.length + 1_024) dropEmptyGroups(family);
    group = {
      key,
      family,
      state: gpuView(state),
      members: [],
      cpuBound: 0,
      memBound: 0,
      livePos: -1,
      frag: undefined,
      evals: [],
    };
    family.groups.set(key, group);
  }
  return group;
}

function addMember(group: Group, machine: Machine): void {
  machine.pos = group.members.length;
  group.members.push(machine);
  raiseBounds(group, machine);
  if (group.livePos < 0 && group.state.slots > 0) {
    group.livePos = group.family.live.length;
    group.family.live.push(group);
  }
}

function removeMember(group: Group, machine: Machine): void {
  const last = group.members.pop()!;
  if (last !== machine) {
    group.members[machine.pos] = last;
    last.pos = machine.pos;
  }
  if (group.members.length === 0) {
    group.cpuBound = 0;
    group.memBound = 0;
  }
  if (group.members.length === 0 && group.livePos >= 0) {
    const live = group.family.live;
    const moved = live.pop()!;
    if (moved !== group) {
      live[group.livePos] = moved;
      moved.livePos = group.livePos;
    }
    group.livePos = -1;
  }
}

/** Bounds memory when states keep changing: empty groups are forgotten (with their cached evaluations). */
function dropEmptyGroups(family: Family): void {
  for (const [key, group] of family.groups) if (group.members.length === 0) family.groups.delete(key);
}

/** Everything a decision depends on except the provider and the free amounts. */
function familyKey(o: Offer): string {
  const cached = o.cachedDatasets instanceof Set ? [...o.cachedDatasets] : [...(o.cachedDatasets as readonly string[])];
  if (cached.length > 1) cached.sort();
  const m = o.machine;
  const gpus = m ? m.gpus.map((g) => `${g.model}:${g.memoryGiB}:${g.kind ?? 'gpu'}`).join(',') : '-';
  return [
    o.hwClass,
    o.memoryGiB,
    o.tflops,
    o.pricePerHour,
    o.stake,
    o.reputation,
    o.coordinate.vec.join(','),
    o.coordinate.height,
    o.bandwidthMBps,
    JSON.stringify(cached),
    JSON.stringify(gpus),
    m ? `${m.cpuCores}/${m.memoryGiB}` : '-',
    m?.backends ? JSON.stringify(m.backends) : '-',
  ].join('|');
}

function checkOffer(o: Offer): void {
  const gpus = o.machine?.gpus.length ?? 0;
  const ok =
    Number.isInteger(o.hwClass) &&
    o.hwClass >= 0 &&
    o.hwClass <= 255 &&
    gpus <= MAX_GPUS_PER_MACHINE &&
    [o.tflops, o.pricePerHour, o.stake, o.memoryGiB, o.slots].every(Number.isFinite);
  if (!ok) throw new AicError('ALLOCATOR_OFFER_INVALID', `offer ${o.id} is malformed`, { details: { id: o.id } });
}

/** Plain code-unit order: the same on every machine, unlike localeCompare. */
export function compareIds(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
