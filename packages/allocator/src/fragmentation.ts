/**
 * Expected fragmentation of a machine over the job mix (the fragmentation-gradient-descent measure, Weng et al.,
 * USENIX ATC '23): for each kind of job m in the mix, the free GPU share that m could not use — all of it when m does
 * not fit on the machine at all (GPU, CPU or memory), else the free shares on GPUs m cannot take (wrong model or
 * memory, or less free than m needs: a partial GPU for a whole-GPU job). Weighted by m's share of arrivals. Placing a
 * job where this grows least keeps whole GPUs and whole machines for the jobs that need them.
 */
import { type FreeState, fitGpus, gpuEligible } from './machine-state.ts';
import { GPU_UNITS, type Shape, shapeOf } from './requirement.ts';
import type { Gpu, JobMixEntry } from './types.ts';

export interface MixShape {
  readonly shape: Shape;
  /** Share of arrivals, normalized over the GPU-using entries. */
  readonly weight: number;
}

/**
 * Normalizes a job mix: only entries that use GPUs count (a CPU job cannot be starved of GPUs), merged by their GPU
 * needs (fragmentation is judged on GPUs; CPU and memory stay exact constraints of every placement).
 */
export function mixShapes(mix: readonly JobMixEntry[]): MixShape[] {
  const byKey = new Map<string, { shape: Shape; weight: number }>();
  for (const e of mix) {
    if (!(e.weight > 0) || !Number.isFinite(e.weight)) continue;
    const { cpuCores: _cpu, memoryGiB: _mem, ...gpuPart } = e.hardware;
    const shape = shapeOf(gpuPart);
    if (shape.gpuCount === 0) continue;
    const entry = byKey.get(shape.gpuKey);
    if (entry) entry.weight += e.weight;
    else byKey.set(shape.gpuKey, { shape, weight: e.weight });
  }
  const shapes = [...byKey.values()];
  const total = shapes.reduce((s, e) => s + e.weight, 0);
  return total > 0 ? shapes.map((e) => ({ shape: e.shape, weight: e.weight / total })) : [];
}

/** Expected unusable free GPU share of a machine, in GPUs. */
export function fragmentationOf(gpus: readonly Gpu[], s: FreeState, mix: readonly MixShape[]): number {
  if (gpus.length === 0) return 0;
  let totalFree = 0;
  for (let i = 0; i < gpus.length; i++) totalFree += s.gpuFree[i]!;
  if (totalFree === 0) return 0;
  let expected = 0;
  for (const { shape, weight } of mix) {
    if (fitGpus(gpus, s, shape) === undefined) {
      expected += weight * totalFree;
      continue;
    }
    const need = Math.min(shape.gpuUnits, GPU_UNITS);
    let stranded = 0;
    for (let i = 0; i < gpus.length; i++) {
      const free = s.gpuFree[i]!;
      if (free > 0 && (free < need || !gpuEligible(gpus[i]!, shape))) stranded += free;
    }
    expected += weight * stranded;
  }
  return expected / GPU_UNITS;
}

/** Per mix entry, which of `gpus` that kind of job may use (model, kind, memory): static per machine type. */
export function eligibilityMasks(gpus: readonly Gpu[], mix: readonly MixShape[]): Uint8Array[] {
  return mix.map(({ shape }) => Uint8Array.from(gpus, (g) => (gpuEligible(g, shape) ? 1 : 0)));
}

/**
 * {@link fragmentationOf} with the GPUs' eligibility per mix entry precomputed (`eligibilityMasks`): the same sums in
 * the same order, so the same number, without model-set look-ups. Mix shapes carry no CPU or memory, so a kind fits
 * when the machine has a slot and enough eligible GPUs with the share it needs.
 */
export function fragmentationMasked(masks: readonly Uint8Array[], s: FreeState, mix: readonly MixShape[]): number {
  const n = s.gpuFree.length;
  if (n === 0) return 0;
  let totalFree = 0;
  for (let i = 0; i < n; i++) totalFree += s.gpuFree[i]!;
  if (totalFree === 0) return 0;
  let expected = 0;
  for (let k = 0; k < mix.length; k++) {
    const { shape, weight } = mix[k]!;
    const mask = masks[k]!;
    const need = Math.min(shape.gpuUnits, GPU_UNITS);
    let stranded = 0;
    let usable = 0;
    for (let i = 0; i < n; i++) {
      const free = s.gpuFree[i]!;
      if (free === 0) continue;
      if (free < need || mask[i] === 0) stranded += free;
      else usable++;
    }
    const fits = s.slots > 0 && usable >= (shape.gpuUnits < GPU_UNITS ? 1 : shape.gpuCount);
    expected += weight * (fits ? stranded : totalFree);
  }
  return expected / GPU_UNITS;
}
