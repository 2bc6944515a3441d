/**
 * Scarcity of each GPU class (model, memory, kind) in the fleet: how much of the expected GPU demand only it and
 * few others can serve, against what is still free of them. A relative price: r = F × Σ_m d_m / S_m over the job
 * kinds m that can use the class, with d_m the share of GPU demand of kind m, S_m the free GPUs kind m can use and F
 * all free GPUs; r = 1 everywhere when no job names a model. Charging g × r keeps jobs that can run anywhere off the
 * GPUs that model-constrained jobs will need (fragmentation alone counts those GPUs as stranded and fills them).
 */
import type { MixShape } from './fragmentation.ts';
import { gpuEligible } from './machine-state.ts';
import { GPU_UNITS } from './requirement.ts';
import type { Gpu } from './types.ts';

export interface Supply {
  /** A representative GPU of each class. */
  readonly classes: Gpu[];
  readonly byKey: Map<string, number>;
  /** Free GPU shares per class, in units. */
  free: Float64Array;
  /** Cached relative scarcity per class (undefined after any change). */
  scarcity: Float64Array | undefined;
  /** Per mix entry, which classes it can use, and the free units it can use (kept up to date by addSupply). */
  masks: Uint8Array[] | undefined;
  usable: Float64Array | undefined;
}

export function createSupply(): Supply {
  return {
    classes: [],
    byKey: new Map(),
    free: new Float64Array(8),
    scarcity: undefined,
    masks: undefined,
    usable: undefined,
  };
}

/** The class index of a GPU (a new class on first sight). */
export function classOf(supply: Supply, gpu: Gpu): number {
  const key = `${gpu.model}|${gpu.memoryGiB}|${gpu.kind ?? 'gpu'}`;
  let index = supply.byKey.get(key);
  if (index === undefined) {
    index = supply.classes.length;
    supply.classes.push(gpu);
    supply.byKey.set(key, index);
    supply.masks = undefined;
    supply.usable = undefined;
    if (index >= supply.free.length) {
      const grown = new Float64Array(supply.free.length * 2);
      grown.set(supply.free);
      supply.free = grown;
    }
  }
  return index;
}

export function addSupply(supply: Supply, cls: number, units: number): void {
  supply.free[cls] = supply.free[cls]! + units;
  supply.scarcity = undefined;
  const { masks, usable } = supply;
  if (masks && usable) for (let k = 0; k < masks.length; k++) if (masks[k]![cls]) usable[k] = usable[k]! + units;
}

/** r per class (see the module comment), recomputed after changes: O(mix × classes). */
export function scarcityOf(supply: Supply, mix: readonly MixShape[]): Float64Array {
  if (supply.scarcity) return supply.scarcity;
  const n = supply.classes.length;
  const r = new Float64Array(n);
  let all = 0;
  for (let c = 0; c < n; c++) all += supply.free[c]!;
  const demand = mix.reduce((s, m) => s + m.weight * m.shape.gpus, 0);
  if (!supply.masks || !supply.usable) {
    const masks = mix.map((m) => Uint8Array.from(supply.classes, (g) => (gpuEligible(g, m.shape) ? 1 : 0)));
    supply.masks = masks;
    supply.usable = Float64Array.from(masks, (mask) =>
      mask.reduce((sum, on, c) => sum + (on ? supply.free[c]! : 0), 0),
    );
  }
  if (all > 0 && demand > 0) {
    for (let k = 0; k < mix.length; k++) {
      const mask = supply.masks[k]!;
      const share = (mix[k]!.weight * mix[k]!.shape.gpus) / demand;
      const pressure = (all * share) / Math.max(supply.usable[k]!, GPU_UNITS);
      for (let c = 0; c < n; c++) if (mask[c]) r[c] = r[c]! + pressure;
    }
  }
  supply.scarcity = r;
  return r;
}
