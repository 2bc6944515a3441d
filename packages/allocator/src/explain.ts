/**
 * Why no offer can take a job: the machines as their offers declare them, narrowed by one constraint after another
 * (backend, accelerator kind, model set, per-GPU memory, GPUs on one machine, the free share a fraction needs, CPU
 * cores, memory), and the first constraint that leaves none is the reason — with what the market has instead, so a
 * requester can change the request. Judged on declared free amounts, not on what running jobs hold now.
 */
import { AicError } from '@aic/core';
import { fitGpus, gpuEligible, initialState } from './machine-state.ts';
import { GPU_UNITS, shapeOf } from './requirement.ts';
import type { HardwareRequirement, Machine, Offer } from './types.ts';

export type UnsatisfiedReason =
  | 'backend'
  | 'accelerator-kind'
  | 'gpu-model'
  | 'gpu-memory'
  | 'gpu-count'
  | 'gpu-share'
  | 'cpu-cores'
  | 'memory'
  | 'combination';

export interface Unsatisfied {
  readonly reason: UnsatisfiedReason;
  readonly message: string;
  /** Machines considered (all offers that describe one). */
  readonly machines: number;
}

/** Why none of `machines` can take `requirement`, or undefined when one can (on its declared free amounts). */
export function whyUnsatisfiable(
  machines: readonly Machine[],
  requirement: HardwareRequirement,
): Unsatisfied | undefined {
  const shape = shapeOf(requirement);
  const n = machines.length;
  const fail = (reason: UnsatisfiedReason, message: string): Unsatisfied => ({ reason, message, machines: n });
  let left = machines.filter((m) => !shape.backend || !m.backends || m.backends.includes(shape.backend));
  if (left.length === 0) return fail('backend', `no offer runs the ${shape.backend} backend`);
  if (shape.gpuCount > 0) {
    const kinds = [...shape.kinds].join(' or ');
    left = left.filter((m) => m.gpus.some((g) => shape.kinds.has(g.kind ?? 'gpu')));
    if (left.length === 0) return fail('accelerator-kind', `no offer has an accelerator of kind ${kinds}`);
    if (shape.models) {
      const offered = modelsOf(left);
      left = left.filter((m) => m.gpus.some((g) => gpuEligible({ ...g, memoryGiB: Number.MAX_VALUE }, shape)));
      if (left.length === 0)
        return fail('gpu-model', `no offer has a GPU of model ${[...shape.models].join(' or ')} (offered: ${offered})`);
    }
    const eligible = (m: Machine) => m.gpus.filter((g) => gpuEligible(g, shape));
    const largest = Math.max(...left.flatMap((m) => m.gpus.map((g) => g.memoryGiB)));
    left = left.filter((m) => eligible(m).length > 0);
    if (left.length === 0)
      return fail('gpu-memory', `no such GPU has ${shape.minGpuMemoryGiB} GiB (largest: ${largest} GiB)`);
    const most = Math.max(...left.map((m) => eligible(m).length));
    left = left.filter((m) => eligible(m).length >= shape.gpuCount);
    if (left.length === 0)
      return fail('gpu-count', `no offer has ${shape.gpuCount} such GPUs on one machine (most: ${most})`);
    const need = shape.gpuUnits / GPU_UNITS;
    left = left.filter((m) => eligible(m).filter((g) => (g.free ?? 1) + 1e-9 >= need).length >= shape.gpuCount);
    if (left.length === 0)
      return fail('gpu-share', `no offer has ${shape.gpuCount} such GPUs with ${need} of each free`);
  }
  const cores = shape.cpuMilli / 1_000;
  const mostCores = Math.max(...left.map((m) => m.cpuCores));
  left = left.filter((m) => m.cpuCores + 1e-9 >= cores);
  if (left.length === 0)
    return fail('cpu-cores', `no offer with those GPUs has ${cores} CPU cores (most: ${mostCores})`);
  const gib = shape.memMiB / 1_024;
  const mostMemory = Math.max(...left.map((m) => m.memoryGiB));
  left = left.filter((m) => m.memoryGiB + 1e-9 >= gib);
  if (left.length === 0) return fail('memory', `no offer with all that has ${gib} GiB of memory (most: ${mostMemory})`);
  const fits = left.some((m) => fitGpus(m.gpus, initialState(machineOffer(m)), shape) !== undefined);
  return fits ? undefined : fail('combination', 'no single offer has all of it at once');
}

/**
 * Throws ALLOCATOR_REQUIREMENT_UNSATISFIABLE (saying which constraint no offer meets) when none of the machines
 * can take the requirement. With no machines known at all nothing is judged (offers may not have arrived yet).
 */
export function assertSatisfiable(machines: readonly Machine[], requirement: HardwareRequirement): void {
  if (machines.length === 0) return;
  const why = whyUnsatisfiable(machines, requirement);
  if (why) {
    throw new AicError('ALLOCATOR_REQUIREMENT_UNSATISFIABLE', `no offer can run this job: ${why.message}`, {
      details: { reason: why.reason, offers: why.machines },
    });
  }
}

function modelsOf(machines: readonly Machine[]): string {
  const counts = new Map<string, number>();
  for (const m of machines) for (const g of m.gpus) counts.set(g.model, (counts.get(g.model) ?? 0) + 1);
  return (
    [...counts]
      .sort((a, b) => b[1] - a[1])
      .slice(0, 8)
      .map(([model, count]) => `${model} ×${count}`)
      .join(', ') || 'none'
  );
}

function machineOffer(machine: Machine): Offer {
  return {
    id: '',
    provider: '',
    hwClass: 0,
    memoryGiB: 0,
    tflops: 1,
    pricePerHour: 0,
    stake: 0,
    reputation: 1,
    coordinate: { vec: [], height: 0 },
    bandwidthMBps: 1,
    cachedDatasets: [],
    slots: 1,
    machine,
  };
}
