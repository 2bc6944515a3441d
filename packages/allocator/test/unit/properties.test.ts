/**
 * Property tests over random fleets and job streams: no placement violates a model set, per-GPU memory, GPU count
 * on one machine, fraction, CPU or memory amount (online or batch), the allocator finds a machine whenever one can
 * take the job, and releasing a job restores exactly what it used. An independent model of the fleet (plain floats
 * per GPU) checks every step. Scale with AIC_PROPERTY_RUNS × AIC_PROPERTY_OPS (default 100 × 100) and
 * AIC_PROPERTY_SEED.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  createOfferBook,
  type HardwareRequirement,
  type JobDemand,
  type Offer,
  type OfferBook,
  type Placement,
  placeBatch,
  placeJob,
  releasePlacement,
} from '../../src/index.ts';

const RUNS = Number(process.env.AIC_PROPERTY_RUNS ?? 100);
const OPS = Number(process.env.AIC_PROPERTY_OPS ?? 100);
const SEED = process.env.AIC_PROPERTY_SEED ? { seed: Number(process.env.AIC_PROPERTY_SEED) } : {};
const EPS = 1e-9;

const MODELS = ['A100-80G', 'H100-80G', 'V100-32G', 'T4-16G'] as const;
const MEMORY: Record<(typeof MODELS)[number], number> = {
  'A100-80G': 80,
  'H100-80G': 80,
  'V100-32G': 32,
  'T4-16G': 16,
};

const gpuArb = fc.record({
  model: fc.constantFrom(...MODELS),
  kind: fc.constantFrom('gpu', 'gpu', 'gpu', 'tpu'),
  free: fc.constantFrom(1, 1, 1, 0.75, 0.5, 0.25, 0),
});

const machineArb = fc.record({
  gpus: fc.array(gpuArb, { maxLength: 8 }),
  cpuCores: fc.integer({ min: 0, max: 64 }),
  memoryGiB: fc.integer({ min: 0, max: 512 }),
  slots: fc.integer({ min: 0, max: 6 }),
  price: fc.constantFrom(1, 1, 1.5, 2),
  provider: fc.integer({ min: 0, max: 5 }),
  slotOffer: fc.boolean(),
});

const requirementArb: fc.Arbitrary<HardwareRequirement | undefined> = fc.option(
  fc.record(
    {
      gpus: fc.constantFrom(0, 0.1, 0.125, 0.25, 1 / 3, 0.5, 0.75, 1, 1, 2, 3, 4, 8),
      // Exact names and family names ("A100" is any A100: A100-80G here).
      gpuModels: fc.subarray([...MODELS, 'A100', 'H100', 'T4'], { minLength: 1 }),
      minGpuMemoryGiB: fc.constantFrom(16, 32, 80),
      acceleratorKinds: fc.constantFrom(['gpu'], ['tpu'], ['gpu', 'tpu']),
      cpuCores: fc.integer({ min: 0, max: 24 }),
      memoryGiB: fc.integer({ min: 0, max: 128 }),
    },
    { requiredKeys: ['gpus'] },
  ),
  { freq: 5 },
);

type MachineInput = typeof machineArb extends fc.Arbitrary<infer T> ? T : never;

function offersOf(machines: readonly MachineInput[]): Offer[] {
  return machines.map((m, i) => ({
    id: `m${i}`,
    provider: `p${m.provider}`,
    hwClass: 3,
    memoryGiB: 80,
    tflops: 100,
    pricePerHour: m.price,
    stake: 1_000,
    reputation: 1,
    coordinate: { vec: [0, 0], height: 1 },
    bandwidthMBps: 100,
    cachedDatasets: [],
    slots: m.slots,
    ...(m.slotOffer
      ? {}
      : {
          machine: {
            gpus: m.gpus.map((g) => ({ model: g.model, memoryGiB: MEMORY[g.model], kind: g.kind, free: g.free })),
            cpuCores: m.cpuCores,
            memoryGiB: m.memoryGiB,
          },
        }),
  }));
}

function jobOf(id: string, hardware: HardwareRequirement | undefined, exclude?: string): JobDemand {
  return {
    id,
    minHwClass: 0,
    minMemoryGiB: 0,
    workTflop: 1e4,
    maxPricePerHour: 1e9,
    minStake: 0,
    datasetMB: 0,
    dataSources: [],
    ...(hardware ? { hardware } : {}),
    ...(exclude ? { excludeProviders: [exclude] } : {}),
  };
}

/** The fleet as plain numbers: what is free on each machine, updated by the test from the placements. */
class FleetModel {
  readonly free: Array<{ gpus: number[]; cpu: number; mem: number; slots: number }>;
  constructor(readonly offers: readonly Offer[]) {
    this.free = offers.map((o) => ({
      gpus: (o.machine?.gpus ?? []).map((g) => g.free ?? 1),
      cpu: o.machine?.cpuCores ?? 0,
      mem: o.machine?.memoryGiB ?? 0,
      slots: o.slots,
    }));
  }

  indexOf(offerId: string): number {
    return Number(offerId.slice(1));
  }

  eligible(o: Offer, gpu: number, r: HardwareRequirement): boolean {
    const g = o.machine!.gpus[gpu]!;
    return (
      (r.gpuModels === undefined || r.gpuModels.some((m) => g.model === m || g.model.startsWith(`${m}-`))) &&
      g.memoryGiB >= (r.minGpuMemoryGiB ?? 0) &&
      (r.acceleratorKinds ?? ['gpu']).includes(g.kind ?? 'gpu')
    );
  }

  /** Whether machine `i` could take the job now (independent of the allocator's code). */
  canTake(i: number, job: JobDemand): boolean {
    const o = this.offers[i]!;
    const f = this.free[i]!;
    const r = job.hardware;
    if (f.slots < 1 || job.excludeProviders?.includes(o.provider)) return false;
    const wants = (r?.gpus ?? 0) > 0 || (r?.cpuCores ?? 0) > 0 || (r?.memoryGiB ?? 0) > 0;
    if (!wants) return true;
    if (!o.machine || f.cpu + EPS < (r?.cpuCores ?? 0) || f.mem + EPS < (r?.memoryGiB ?? 0)) return false;
    const g = r?.gpus ?? 0;
    if (g === 0) return true;
    const ok = f.gpus.map((free, k) => this.eligible(o, k, r!) && free + EPS >= Math.min(g, 1));
    return ok.filter(Boolean).length >= Math.max(g, 1);
  }

  /** Applies a placement (sign 1) or its release (−1), asserting it is legal. */
  apply(p: Placement, job: JobDemand, sign: 1 | -1): void {
    const i = this.indexOf(p.offerId);
    const o = this.offers[i]!;
    const f = this.free[i]!;
    const r = job.hardware;
    const g = r?.gpus ?? 0;
    const wants = g > 0 || (r?.cpuCores ?? 0) > 0 || (r?.memoryGiB ?? 0) > 0;
    if (sign === 1) {
      expect(this.canTake(i, job)).toBe(true);
      expect(o.provider).toBe(p.provider);
      const used = p.gpus ?? [];
      expect(used.length).toBe(g === 0 || !wants ? 0 : Math.max(g, 1)); // all GPUs on this one machine
      expect(new Set(used.map((u) => u.index)).size).toBe(used.length);
      for (const u of used) {
        expect(this.eligible(o, u.index, r!)).toBe(true); // model set, per-GPU memory, kind
        expect(u.share).toBeCloseTo(Math.min(g, 1), 3);
        expect(f.gpus[u.index]! + EPS).toBeGreaterThanOrEqual(Math.min(g, 1));
      }
    }
    for (const u of p.gpus ?? []) f.gpus[u.index] = f.gpus[u.index]! - sign * Math.min(g, 1);
    if (wants) {
      f.cpu -= sign * (r?.cpuCores ?? 0);
      f.mem -= sign * (r?.memoryGiB ?? 0);
    }
    f.slots -= sign;
    expect(f.cpu).toBeGreaterThanOrEqual(-EPS);
    expect(f.mem).toBeGreaterThanOrEqual(-EPS);
    for (const x of f.gpus) expect(x).toBeGreaterThanOrEqual(-EPS);
  }

  /** The book's view of every machine equals the model's (so a release restored exactly what was used). */
  matches(book: OfferBook): void {
    this.offers.forEach((o, i) => {
      const s = book.byId.get(o.id)!.state;
      const f = this.free[i]!;
      expect(s.slots).toBe(f.slots);
      if (!o.machine) return;
      expect(s.cpuMilli / 1_000).toBeCloseTo(f.cpu, 6);
      expect(s.memMiB / 1_024).toBeCloseTo(f.mem, 6);
      f.gpus.forEach((x, k) => {
        expect(s.gpuFree[k]! / 2_520).toBeCloseTo(x, 6);
      });
    });
  }
}

const opArb = fc.oneof(
  {
    weight: 3,
    arbitrary: fc.record({
      kind: fc.constant('place' as const),
      hardware: requirementArb,
      exclude: fc.option(fc.integer({ min: 0, max: 5 })),
    }),
  },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('release' as const), pick: fc.nat() }) },
);

describe('allocator properties', () => {
  it('online: every placement is legal, a feasible job is always placed, releases restore exactly', () => {
    fc.assert(
      fc.property(
        fc.array(machineArb, { minLength: 1, maxLength: 12 }),
        fc.array(opArb, { maxLength: OPS }),
        fc.bigInt({ min: 0n, max: 2n ** 64n }),
        (machines, ops, seed) => {
          const offers = offersOf(machines);
          const book = createOfferBook(offers);
          const fleet = new FleetModel(offers);
          const running: Array<{ p: Placement; job: JobDemand }> = [];
          ops.forEach((op, n) => {
            if (op.kind === 'place') {
              const job = jobOf(`j${n}`, op.hardware, op.exclude === null ? undefined : `p${op.exclude}`);
              const couldFit = offers.some((_, i) => fleet.canTake(i, job));
              const p = placeJob(book, job, seed);
              expect(p !== undefined).toBe(couldFit);
              if (p) {
                fleet.apply(p, job, 1);
                running.push({ p, job });
              }
            } else if (running.length > 0) {
              const [{ p, job }] = running.splice(op.pick % running.length, 1) as [{ p: Placement; job: JobDemand }];
              releasePlacement(book, p);
              fleet.apply(p, job, -1);
            }
            fleet.matches(book);
          });
          for (const { p, job } of running.splice(0)) {
            releasePlacement(book, p);
            fleet.apply(p, job, -1);
          }
          fleet.matches(book); // everything back to what the offers declared
          fleet.offers.forEach((o, i) => {
            expect(fleet.free[i]!.slots).toBe(o.slots);
          });
        },
      ),
      { numRuns: RUNS, ...SEED },
    );
  });

  it('batch: every consumable is respected, whatever the mix of jobs', () => {
    fc.assert(
      fc.property(
        fc.array(machineArb, { minLength: 1, maxLength: 12 }),
        fc.array(requirementArb, { maxLength: Math.max(1, Math.floor(OPS / 2)) }),
        fc.bigInt({ min: 0n, max: 2n ** 64n }),
        (machines, requirements, seed) => {
          const offers = offersOf(machines);
          const book = createOfferBook(offers);
          const fleet = new FleetModel(offers);
          const jobs = requirements.map((r, i) => jobOf(`b${i}`, r));
          const placed = placeBatch(book, jobs, seed);
          expect(new Set(placed.map((p) => p.jobId)).size).toBe(placed.length);
          const byId = new Map(jobs.map((j) => [j.id, j]));
          // Applied in any order the totals must fit: check sized jobs first as the batch placed them.
          for (const p of placed) fleet.apply(p, byId.get(p.jobId)!, 1);
          fleet.matches(book);
          for (const p of placed) {
            releasePlacement(book, p);
            fleet.apply(p, byId.get(p.jobId)!, -1);
          }
          fleet.matches(book);
        },
      ),
      { numRuns: RUNS, ...SEED },
    );
  });
});
