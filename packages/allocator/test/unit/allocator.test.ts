import { describe, expect, it } from 'vitest';
import {
  assignSparse,
  choosePlacement,
  costOf,
  createOfferBook,
  fitGpus,
  gpuModelMatches,
  hungarian,
  initialState,
  isFeasible,
  type JobDemand,
  normalizeGpuModel,
  type Offer,
  placeBatch,
  placeGroup,
  placeJob,
  seededUniforms,
  shapeOf,
  syntheticJobs,
  syntheticOffers,
  transferHours,
} from '../../src/index.ts';

const origin = { vec: [0, 0, 0], height: 1 };
const far = { vec: [300, 0, 0], height: 1 };

function offer(id: string, over: Partial<Offer> = {}): Offer {
  return {
    id,
    provider: `p-${id}`,
    hwClass: 2,
    memoryGiB: 24,
    tflops: 40,
    pricePerHour: 1,
    stake: 5_000,
    reputation: 1,
    coordinate: origin,
    bandwidthMBps: 100,
    cachedDatasets: [],
    slots: 1,
    ...over,
  };
}

const job: JobDemand = {
  id: 'job-1',
  minHwClass: 1,
  minMemoryGiB: 16,
  workTflop: 40 * 3_600, // one hour on a 40 TFLOP/s card
  maxPricePerHour: 5,
  minStake: 1_000,
  datasetId: 'mnist',
  datasetMB: 1_000,
  dataSources: [origin],
};

describe('feasibility and cost', () => {
  it('refuses offers below the hardware class, memory, stake or above the price ceiling, and excluded providers', () => {
    expect(isFeasible(offer('a'), job)).toBe(true);
    expect(isFeasible(offer('a', { hwClass: 0 }), job)).toBe(false);
    expect(isFeasible(offer('a', { memoryGiB: 8 }), job)).toBe(false);
    expect(isFeasible(offer('a', { stake: 10 }), job)).toBe(false);
    expect(isFeasible(offer('a', { pricePerHour: 6 }), job)).toBe(false);
    expect(isFeasible(offer('a', { slots: 0 }), job)).toBe(false);
    expect(isFeasible(offer('a'), { ...job, excludeProviders: ['p-a'] })).toBe(false);
  });

  it('charges price × duration and values transfer time, which a cached dataset or a near source removes', () => {
    const base = costOf(offer('a', { cachedDatasets: ['mnist'] }), job, {
      valueOfTimePerHour: 10,
      reputationPenalty: 0,
      nearBestFraction: 0,
    });
    expect(base).toBeCloseTo(1, 10); // 1 AIC/h × 1 h, nothing to move
    expect(transferHours(offer('a'), job)).toBeCloseTo((1_000 / 100 + (10 * 2) / 1_000) / 3_600, 12);
    expect(transferHours(offer('b', { coordinate: far }), job)).toBeGreaterThan(transferHours(offer('a'), job));
  });
});

describe('online placement', () => {
  it('prefers the cheaper, the faster, the cached and the nearer offer', () => {
    const book = createOfferBook([
      offer('pricey', { pricePerHour: 2 }),
      offer('slow', { tflops: 10 }),
      offer('far', { coordinate: far, bandwidthMBps: 10 }),
      offer('cached', { cachedDatasets: ['mnist'], pricePerHour: 1.01 }),
    ]);
    expect(placeJob(book, job, 1n)?.offerId).toBe('cached');
  });

  it('picks among the near-best with the seed: reproducible, and different seeds spread over the near-equal offers', () => {
    const offers = Array.from({ length: 5 }, (_, i) => offer(`o${i}`, { pricePerHour: 1 + i * 0.001 })).concat(
      offer('bad', { pricePerHour: 3 }),
    );
    const picks = new Map<string, number>();
    for (let s = 0n; s < 400n; s++) {
      const first = choosePlacement(createOfferBook(offers), job, s * 7919n + 1n)!;
      expect(choosePlacement(createOfferBook(offers), job, s * 7919n + 1n)!.offerId).toBe(first.offerId);
      picks.set(first.offerId, (picks.get(first.offerId) ?? 0) + 1);
    }
    expect(picks.has('bad')).toBe(false);
    expect(picks.size).toBe(5);
    for (const n of picks.values()) expect(n).toBeGreaterThan(40); // ~80 each if uniform
  });

  it('consumes slots and returns undefined when nothing feasible is left', () => {
    const book = createOfferBook([offer('only', { slots: 2 })]);
    expect(placeJob(book, job, 1n)?.offerId).toBe('only');
    expect(placeJob(book, { ...job, id: 'job-2' }, 1n)?.offerId).toBe('only');
    expect(placeJob(book, { ...job, id: 'job-3' }, 1n)).toBeUndefined();
  });

  it('finds the same best offer as a full scan on a synthetic market', () => {
    const offers = syntheticOffers(2_000, 42n);
    const model = { valueOfTimePerHour: 5, reputationPenalty: 0.2, nearBestFraction: 0 };
    const book = createOfferBook(offers, model);
    for (const j of syntheticJobs(200, 7n)) {
      const placed = choosePlacement(book, j, 1n);
      const feasible = offers.filter((o) => isFeasible(o, j)).map((o) => costOf(o, j, model));
      if (feasible.length === 0) expect(placed).toBeUndefined();
      else expect(placed?.cost).toBeCloseTo(Math.min(...feasible), 9);
    }
  });
});

describe('batch placement', () => {
  it('matches the exact optimum (Hungarian) within 2 % on a contended subsample', () => {
    const offers = syntheticOffers(300, 3n).map((o) => ({ ...o, slots: 1 }));
    const jobs = syntheticJobs(200, 5n);
    const model = { valueOfTimePerHour: 5, reputationPenalty: 0.2, nearBestFraction: 0.01 };
    const matrix = jobs.map((j) =>
      offers.map((o) => (isFeasible(o, j) ? costOf(o, j, model) : Number.POSITIVE_INFINITY)),
    );
    const placeable = jobs.filter((_, i) => matrix[i]!.some(Number.isFinite));
    const exact = hungarian(
      placeable.map((j) => offers.map((o) => (isFeasible(o, j) ? costOf(o, j, model) : Number.POSITIVE_INFINITY))),
    );
    const placed = placeBatch(createOfferBook(offers, model), placeable, 9n, { candidatesPerJob: 24 });
    expect(placed.length).toBe(placeable.length);
    expect(new Set(placed.map((p) => p.offerId)).size).toBe(placed.length); // one job per slot
    const total = placed.reduce((s, p) => s + p.cost, 0);
    expect(total / exact.total).toBeLessThanOrEqual(1.02);
    expect(total / exact.total).toBeGreaterThanOrEqual(1 - 1e-9);
  });

  it('the sparse assignment and Hungarian agree on small dense problems', () => {
    const u = seededUniforms(11n, 'dense');
    for (let t = 0; t < 20; t++) {
      const n = 6;
      const cost = Array.from({ length: n }, () => Array.from({ length: n }, () => Math.round(u() * 100)));
      const edges = cost.map((row) => row.map((c, column) => ({ column, cost: c })));
      const sparse = assignSparse(edges, n);
      expect(new Set(sparse).size).toBe(n);
      const total = sparse.reduce((s, o, i) => s + cost[i]![o]!, 0);
      expect(total).toBeCloseTo(hungarian(cost).total, 6);
    }
  });
});

describe('co-located groups', () => {
  it('keeps a multi-node job inside one region when one region can host it', () => {
    const near = (i: number) => offer(`n${i}`, { coordinate: { vec: [i, 0, 0], height: 1 } });
    const scattered = (i: number) =>
      offer(`s${i}`, { pricePerHour: 0.99, coordinate: { vec: [(i + 1) * 200, (i + 1) * 150, 0], height: 1 } });
    const book = createOfferBook([
      ...Array.from({ length: 4 }, (_, i) => near(i)),
      ...Array.from({ length: 4 }, (_, i) => scattered(i)),
    ]);
    const group = placeGroup(book, job, 3)!;
    expect(group.offers.map((o) => o.id).every((id) => id.startsWith('n'))).toBe(true);
    expect(group.maxRttMs).toBeLessThan(10);
  });
});

describe('GPU model names', () => {
  it('a family name accepts every memory size of it, an exact name only itself, in any spelling', () => {
    expect(gpuModelMatches('H100', 'H100-80G')).toBe(true);
    expect(gpuModelMatches('H100', 'H100-94G')).toBe(true);
    expect(gpuModelMatches('A100-80G', 'A100-40G')).toBe(false);
    expect(gpuModelMatches('A10', 'A100-80G')).toBe(false);
    expect(gpuModelMatches(normalizeGpuModel('a100 80gb'), 'A100-80G')).toBe(true);
    const shape = shapeOf({ gpus: 1, gpuModels: ['h100', 'A100-80G'] });
    const gpu = (model: string) => ({ model, memoryGiB: 80 });
    const free = initialState({ ...offerWith([gpu('H100-80G'), gpu('A100-40G')]) });
    expect(fitGpus([gpu('H100-80G'), gpu('A100-40G')], free, shape)).toEqual([0]);
    expect(fitGpus([gpu('A100-40G')], initialState(offerWith([gpu('A100-40G')])), shape)).toBeUndefined();
  });
});

function offerWith(gpus: { model: string; memoryGiB: number }[]): Offer {
  return {
    id: 'o',
    provider: 'p',
    hwClass: 3,
    memoryGiB: 80,
    tflops: 100,
    pricePerHour: 1,
    stake: 1,
    reputation: 1,
    coordinate: { vec: [0], height: 0 },
    bandwidthMBps: 100,
    cachedDatasets: [],
    slots: 1,
    machine: { gpus, cpuCores: 8, memoryGiB: 64 },
  };
}
