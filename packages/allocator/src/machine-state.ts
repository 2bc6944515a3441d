/**
 * The free amounts of one machine (GPU shares per GPU, CPU milli-cores, memory MiB, job slots) and the exact rules
 * for fitting a shape on it: a fraction goes to the fullest GPU that still has room (best fit inside the machine), n
 * whole GPUs are the first n fully free eligible ones; all of them on this one machine.
 */
import { GPU_UNITS, gpuModelMatches, type Shape, supplyGpuUnits, supplyMiB, supplyMilli } from './requirement.ts';
import type { Gpu, Offer } from './types.ts';

export interface FreeState {
  readonly gpuFree: Int32Array;
  cpuMilli: number;
  memMiB: number;
  slots: number;
}

const NO_GPUS: readonly Gpu[] = [];
const NONE: readonly number[] = [];

/** The GPUs an offer declares (none for a plain slot offer). */
export function gpusOf(offer: Offer): readonly Gpu[] {
  return offer.machine?.gpus ?? NO_GPUS;
}

/** The free amounts the offer declares. */
export function initialState(offer: Offer): FreeState {
  const m = offer.machine;
  const gpus = gpusOf(offer);
  const gpuFree = new Int32Array(gpus.length); // (Int32Array.from with a map function is ~50× slower)
  for (let i = 0; i < gpus.length; i++) gpuFree[i] = supplyGpuUnits(gpus[i]!.free ?? 1);
  return {
    gpuFree,
    cpuMilli: m ? supplyMilli(m.cpuCores) : 0,
    memMiB: m ? supplyMiB(m.memoryGiB) : 0,
    slots: Math.max(0, Math.floor(offer.slots)),
  };
}

export function copyState(s: FreeState): FreeState {
  return { gpuFree: s.gpuFree.slice(), cpuMilli: s.cpuMilli, memMiB: s.memMiB, slots: s.slots };
}

/** Equal keys ⇔ equal free GPU shares, GPU by GPU, and both with or both without a free slot. */
export function gpuStateKey(s: FreeState): string {
  return `${s.slots > 0 ? 1 : 0}|${s.gpuFree.join(',')}`;
}

/** The GPU side of a state: CPU and memory unbounded (what GPU fit and fragmentation are judged on). */
export function gpuView(s: FreeState): FreeState {
  const unbounded = Number.MAX_SAFE_INTEGER;
  return { gpuFree: s.gpuFree.slice(), cpuMilli: unbounded, memMiB: unbounded, slots: s.slots > 0 ? 1 : 0 };
}

/** Whether the machine has the slot, CPU and memory the shape needs (its GPUs are judged by its group). */
export function hostFits(s: FreeState, shape: Shape): boolean {
  return s.slots > 0 && s.cpuMilli >= shape.cpuMilli && s.memMiB >= shape.memMiB;
}

/** Whether GPU `gpu` is of a model (or model family), kind and memory the shape accepts. */
export function gpuEligible(gpu: Gpu, shape: Shape): boolean {
  return (
    gpu.memoryGiB >= shape.minGpuMemoryGiB &&
    shape.kinds.has(gpu.kind ?? 'gpu') &&
    (shape.models === undefined || shape.models.has(gpu.model) || modelAccepted(shape.models, gpu.model))
  );
}

/** Per model set (a shape's, so few): which model names it accepts, by family or by another spelling. */
const accepted = new WeakMap<ReadonlySet<string>, Map<string, boolean>>();

function modelAccepted(models: ReadonlySet<string>, model: string): boolean {
  let known = accepted.get(models);
  if (!known) {
    known = new Map();
    accepted.set(models, known);
  }
  let ok = known.get(model);
  if (ok === undefined) {
    ok = false;
    for (const requested of models) if (gpuModelMatches(requested, model)) ok = true;
    if (known.size < 1_024) known.set(model, ok);
  }
  return ok;
}

/** The GPUs a placement of `shape` would use (empty when it needs none), or undefined when it does not fit. */
export function fitGpus(gpus: readonly Gpu[], s: FreeState, shape: Shape): readonly number[] | undefined {
  if (s.slots <= 0 || s.cpuMilli < shape.cpuMilli || s.memMiB < shape.memMiB) return undefined;
  if (shape.gpuCount === 0) return NONE;
  if (shape.gpuUnits < GPU_UNITS) {
    let best = -1;
    for (let i = 0; i < gpus.length; i++) {
      const free = s.gpuFree[i]!;
      if (free < shape.gpuUnits || (best >= 0 && free >= s.gpuFree[best]!) || !gpuEligible(gpus[i]!, shape)) continue;
      best = i;
    }
    return best < 0 ? undefined : [best];
  }
  const chosen: number[] = [];
  for (let i = 0; i < gpus.length && chosen.length < shape.gpuCount; i++) {
    if (s.gpuFree[i] === GPU_UNITS && gpuEligible(gpus[i]!, shape)) chosen.push(i);
  }
  return chosen.length === shape.gpuCount ? chosen : undefined;
}

/** Uses up (sign 1) or gives back (sign −1) what a placement of `shape` on GPUs `chosen` takes. */
export function applyShape(s: FreeState, shape: Shape, chosen: readonly number[], sign: 1 | -1): void {
  for (const i of chosen) s.gpuFree[i] = s.gpuFree[i]! - sign * shape.gpuUnits;
  s.cpuMilli -= sign * shape.cpuMilli;
  s.memMiB -= sign * shape.memMiB;
  s.slots -= sign;
}

/** Whether what `s` holds is within what the offer declared (a release never creates capacity). */
export function withinDeclared(s: FreeState, declared: FreeState): boolean {
  if (s.slots > declared.slots || s.cpuMilli > declared.cpuMilli || s.memMiB > declared.memMiB) return false;
  for (let i = 0; i < s.gpuFree.length; i++) if (s.gpuFree[i]! > declared.gpuFree[i]!) return false;
  return true;
}
