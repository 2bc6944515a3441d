/**
 * Baselines for the allocator benchmark, written independently of @aic/allocator's code: fractional best-fit (the
 * machine left with the least free GPU after the job, the fullest GPU that fits inside it) and first-fit (the first
 * machine and GPUs in fleet order that fit). Same hardware rules: model set, per-GPU memory, GPUs on one machine or
 * a fraction of one, CPU and memory amounts.
 */
import type { HardwareRequirement, JobDemand, Offer } from '@aic/allocator';

const EPS = 1e-9;

interface Free {
  gpus: number[];
  cpu: number;
  mem: number;
}

export interface FillResult {
  placed: number;
  allocatedGpus: number;
}

export type Policy = 'best-fit' | 'first-fit';

/** Places `jobs` in order with `policy`, never releasing; returns the GPU shares allocated. */
export function fillWithBaseline(offers: readonly Offer[], jobs: readonly JobDemand[], policy: Policy): FillResult {
  const free: Free[] = offers.map((o) => ({
    gpus: (o.machine?.gpus ?? []).map((g) => g.free ?? 1),
    cpu: o.machine?.cpuCores ?? 0,
    mem: o.machine?.memoryGiB ?? 0,
  }));
  let placed = 0;
  let allocatedGpus = 0;
  for (const job of jobs) {
    const r = job.hardware ?? {};
    let best: { machine: number; gpus: number[]; left: number } | undefined;
    for (let m = 0; m < offers.length; m++) {
      const gpus = fitOn(offers[m]!, free[m]!, r, policy);
      if (!gpus) continue;
      if (policy === 'first-fit') {
        best = { machine: m, gpus, left: 0 };
        break;
      }
      const left = free[m]!.gpus.reduce((s, x) => s + x, 0) - gpus.length * share(r);
      if (!best || left < best.left - EPS) best = { machine: m, gpus, left };
    }
    if (!best) continue;
    const f = free[best.machine]!;
    for (const i of best.gpus) f.gpus[i] = f.gpus[i]! - share(r);
    f.cpu -= r.cpuCores ?? 0;
    f.mem -= r.memoryGiB ?? 0;
    placed++;
    allocatedGpus += best.gpus.length * share(r);
  }
  return { placed, allocatedGpus };
}

const share = (r: HardwareRequirement) => Math.min(r.gpus ?? 0, 1);

function fitOn(o: Offer, f: Free, r: HardwareRequirement, policy: Policy): number[] | undefined {
  if (!o.machine || f.cpu + EPS < (r.cpuCores ?? 0) || f.mem + EPS < (r.memoryGiB ?? 0)) return undefined;
  const g = r.gpus ?? 0;
  if (g === 0) return [];
  const ok = (i: number) => {
    const gpu = o.machine!.gpus[i]!;
    return (
      (r.gpuModels === undefined || r.gpuModels.includes(gpu.model)) &&
      gpu.memoryGiB >= (r.minGpuMemoryGiB ?? 0) &&
      (r.acceleratorKinds ?? ['gpu']).includes(gpu.kind ?? 'gpu')
    );
  };
  if (g < 1) {
    let pick = -1;
    for (let i = 0; i < f.gpus.length; i++) {
      if (!ok(i) || f.gpus[i]! + EPS < g) continue;
      if (policy === 'first-fit') return [i];
      if (pick < 0 || f.gpus[i]! < f.gpus[pick]!) pick = i;
    }
    return pick < 0 ? undefined : [pick];
  }
  const whole: number[] = [];
  for (let i = 0; i < f.gpus.length && whole.length < g; i++) if (ok(i) && f.gpus[i]! >= 1 - EPS) whole.push(i);
  return whole.length === g ? whole : undefined;
}

/** The prefix of `jobs` whose GPU demand first reaches `gpus` (the fleet "filled to 100 % of demand"). */
export function jobsUpToDemand(jobs: readonly JobDemand[], gpus: number): JobDemand[] {
  let demand = 0;
  const out: JobDemand[] = [];
  for (const job of jobs) {
    if (demand >= gpus) break;
    out.push(job);
    demand += job.hardware?.gpus ?? 0;
  }
  return out;
}
