/**
 * The offers of a market, indexed for fast placement: one list per hardware class, each sorted by the cost of one
 * TFLOP (price / throughput × reputation factor). For a given job the compute cost is that unit cost × its work, a
 * lower bound of the full cost, so a scan in this order can stop as soon as no later offer can be near the best.
 */
import { computeCost, costOf, isFeasible } from './cost.ts';
import { type CostModel, DEFAULT_COST_MODEL, type JobDemand, type Offer } from './types.ts';

export interface OfferBook {
  readonly model: CostModel;
  /** Lists by hardware class, each ascending by unit cost. */
  readonly byClass: ReadonlyArray<readonly Offer[]>;
  /** Remaining slots per offer id (placements consume them). */
  readonly slotsLeft: Map<string, number>;
  /** Per class, the index of the first offer that may still have a slot (the exhausted cheap prefix is skipped). */
  readonly heads: number[];
  readonly size: number;
}

export interface Candidate {
  readonly offer: Offer;
  readonly cost: number;
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

/** Indexes `offers` (duplicate ids are refused: an id names one offer). */
export function createOfferBook(offers: readonly Offer[], model: CostModel = DEFAULT_COST_MODEL): OfferBook {
  const byClass: Offer[][] = [];
  const slotsLeft = new Map<string, number>();
  for (const offer of offers) {
    if (slotsLeft.has(offer.id)) throw new RangeError(`duplicate offer id ${offer.id}`);
    slotsLeft.set(offer.id, offer.slots);
    const list = byClass[offer.hwClass] ?? [];
    byClass[offer.hwClass] = list;
    list.push(offer);
  }
  const unit = (o: Offer) => computeCost(o, UNIT_JOB, model);
  for (const list of byClass) list?.sort((a, b) => unit(a) - unit(b) || compareIds(a.id, b.id));
  const lists = Array.from(byClass, (l) => l ?? []);
  return { model, byClass: lists, slotsLeft, heads: lists.map(() => 0), size: offers.length };
}

/**
 * The feasible offers whose cost is within `fraction` of the cheapest, cheapest first (ties by offer id), plus up to
 * `atLeast` of the next cheapest. Scans each eligible class list in unit-cost order and stops early.
 */
export function cheapestCandidates(book: OfferBook, job: JobDemand, fraction: number, atLeast = 1): Candidate[] {
  const found: Candidate[] = [];
  let bound = Number.POSITIVE_INFINITY; // the atLeast-th best cost seen so far × (1 + fraction)
  for (let c = job.minHwClass; c < book.byClass.length; c++) {
    const list = book.byClass[c]!;
    let i = book.heads[c]!;
    while (i < list.length && (book.slotsLeft.get(list[i]!.id) ?? 0) <= 0) i++;
    book.heads[c] = i; // cheap offers fill first: skip them for every later job
    for (; i < list.length; i++) {
      const offer = list[i]!;
      if (computeCost(offer, job, book.model) > bound) break; // nothing later in this list can qualify
      if ((book.slotsLeft.get(offer.id) ?? 0) <= 0 || !isFeasible(offer, job)) continue;
      found.push({ offer, cost: costOf(offer, job, book.model) });
      if (found.length >= atLeast) bound = kthSmallest(found, atLeast) * (1 + fraction);
    }
  }
  found.sort((a, b) => a.cost - b.cost || compareIds(a.offer.id, b.offer.id));
  const best = found[0]?.cost ?? 0;
  return found.filter((cand, i) => i < atLeast || cand.cost <= best * (1 + fraction));
}

/** Takes one slot of an offer. */
export function takeSlot(book: OfferBook, offerId: string): void {
  const left = book.slotsLeft.get(offerId) ?? 0;
  if (left <= 0) throw new RangeError(`offer ${offerId} has no slot left`);
  book.slotsLeft.set(offerId, left - 1);
}

/** Gives a slot back when a job ends (the offer may become the cheapest again, so the class scan restarts). */
export function releaseSlot(book: OfferBook, offer: { id: string; hwClass: number }): void {
  book.slotsLeft.set(offer.id, (book.slotsLeft.get(offer.id) ?? 0) + 1);
  book.heads[offer.hwClass] = 0;
}

function kthSmallest(candidates: readonly Candidate[], k: number): number {
  if (k === 1) {
    let min = Number.POSITIVE_INFINITY;
    for (const c of candidates) if (c.cost < min) min = c.cost;
    return min;
  }
  return candidates.map((c) => c.cost).sort((a, b) => a - b)[k - 1] ?? Number.POSITIVE_INFINITY;
}

/** Plain code-unit order: the same on every machine, unlike localeCompare. */
export function compareIds(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
