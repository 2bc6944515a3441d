/**
 * A job's hardware requirement normalized into exact integer amounts (a "shape"): GPU shares in 1/2520 of a GPU
 * (exact for halves, thirds … tenths and MIG sevenths), CPU in milli-cores, memory in MiB. Integers make every
 * placement and release restore exactly what it used, and the shape's key lets identical jobs share evaluations.
 */
import { AicError } from '@aic/core';
import type { HardwareRequirement, JobDemand, JobMixEntry } from './types.ts';

/** One GPU in integer shares. */
export const GPU_UNITS = 2520;
/** Most GPUs one machine may have or one job may ask for. */
export const MAX_GPUS_PER_MACHINE = 64;
const MAX_SPREAD_MACHINES = 256;

export interface Shape {
  /** Equal keys ⇔ equal resource needs. */
  readonly key: string;
  /** Equal keys ⇔ equal GPU needs (what GPU fit and fragmentation depend on). */
  readonly gpuKey: string;
  /** GPUs touched: 0, 1 for a fraction, n for n whole GPUs. */
  readonly gpuCount: number;
  /** Shares taken on each touched GPU (GPU_UNITS for whole GPUs). */
  readonly gpuUnits: number;
  /** GPUs in total (gpuCount × gpuUnits / GPU_UNITS). */
  readonly gpus: number;
  readonly models: ReadonlySet<string> | undefined;
  readonly kinds: ReadonlySet<string>;
  readonly minGpuMemoryGiB: number;
  readonly cpuMilli: number;
  readonly memMiB: number;
  readonly backend: string | undefined;
  /** False for a job without amounts: it needs only a slot (and can go to a plain slot offer). */
  readonly usesResources: boolean;
}

const NO_REQUIREMENT: HardwareRequirement = {};

/** Demand amounts round up, supply amounts round down: a placement never gets less than it asked for. */
export const demandMilli = (cores: number): number => Math.ceil(cores * 1_000 - 1e-9);
export const supplyMilli = (cores: number): number => Math.floor(cores * 1_000 + 1e-9);
export const demandMiB = (gib: number): number => Math.ceil(gib * 1_024 - 1e-9);
export const supplyMiB = (gib: number): number => Math.floor(gib * 1_024 + 1e-9);
export const supplyGpuUnits = (share: number): number =>
  Math.min(GPU_UNITS, Math.max(0, Math.floor(share * GPU_UNITS + 1e-9)));

const shapes = new WeakMap<JobDemand, Shape>();

/** The shape of `job` (throws ALLOCATOR_REQUIREMENT_INVALID for impossible amounts); cached per job object. */
export function shapeOfJob(job: JobDemand): Shape {
  let shape = shapes.get(job);
  if (!shape) {
    shape = shapeOf(job.hardware);
    shapes.set(job, shape);
  }
  return shape;
}

/** Normalizes a requirement; throws ALLOCATOR_REQUIREMENT_INVALID for amounts no machine could mean. */
export function shapeOf(requirement: HardwareRequirement | undefined): Shape {
  const r = requirement ?? NO_REQUIREMENT;
  const gpus = r.gpus ?? 0;
  checkAmount('gpus', gpus, MAX_GPUS_PER_MACHINE);
  if (gpus > 1 && !Number.isInteger(gpus)) invalid('gpus above 1 must be a whole number (GPUs on one machine)', r);
  checkAmount('cpuCores', r.cpuCores ?? 0, 1e6);
  checkAmount('memoryGiB', r.memoryGiB ?? 0, 1e9);
  checkAmount('minGpuMemoryGiB', r.minGpuMemoryGiB ?? 0, 1e6);
  if (r.spread) {
    const { machines, maxRttMs } = r.spread;
    if (!Number.isInteger(machines) || machines < 1 || machines > MAX_SPREAD_MACHINES)
      invalid(`spread.machines must be a whole number in 1…${MAX_SPREAD_MACHINES}`, r);
    checkAmount('spread.maxRttMs', maxRttMs, 1e9);
  }
  const fractional = gpus > 0 && gpus < 1;
  const gpuCount = gpus === 0 ? 0 : fractional ? 1 : gpus;
  const gpuUnits = gpus === 0 ? 0 : fractional ? Math.max(1, Math.ceil(gpus * GPU_UNITS - 1e-9)) : GPU_UNITS;
  const models = r.gpuModels && r.gpuModels.length > 0 ? new Set(r.gpuModels.map(normalizeGpuModel)) : undefined;
  const kinds = new Set(r.acceleratorKinds && r.acceleratorKinds.length > 0 ? r.acceleratorKinds : ['gpu']);
  const minGpuMemoryGiB = r.minGpuMemoryGiB ?? 0;
  const cpuMilli = demandMilli(r.cpuCores ?? 0);
  const memMiB = demandMiB(r.memoryGiB ?? 0);
  const usesResources = gpuCount > 0 || cpuMilli > 0 || memMiB > 0;
  const gpuKey = [
    gpuCount,
    gpuUnits,
    models ? [...models].sort().join('+') : '*',
    [...kinds].sort().join('+'),
    minGpuMemoryGiB,
  ].join('|');
  const key = `${gpuKey}|${cpuMilli}|${memMiB}|${usesResources ? 1 : 0}`;
  return {
    key,
    gpuKey,
    gpuCount,
    gpuUnits,
    gpus: (gpuCount * gpuUnits) / GPU_UNITS,
    models,
    kinds,
    minGpuMemoryGiB,
    cpuMilli,
    memMiB,
    backend: r.backend,
    usesResources,
  };
}

/**
 * A GPU model name as compared: upper case, blanks and underscores as dashes, a trailing "GB" as "G" ("a100 80gb" →
 * "A100-80G"). Offers name their GPUs `<family>-<memory>G` (gpu-vessel canonicalizes what nvidia-smi reports).
 */
export function normalizeGpuModel(name: string): string {
  return name
    .trim()
    .toUpperCase()
    .replace(/[\s_]+/g, '-')
    .replace(/(\d)GB$/, '$1G');
}

/**
 * Whether a requested model name accepts a GPU's model: the same name, or a family name that the model extends
 * with a dash ("H100" accepts "H100-80G" and "H100-94G"; "A100-80G" accepts only itself). Both sides normalized.
 */
export function gpuModelMatches(requested: string, model: string): boolean {
  const m = normalizeGpuModel(model);
  return m === requested || (m.length > requested.length && m.startsWith(requested) && m[requested.length] === '-');
}

/** The expected job mix of a job stream: one entry per distinct shape, weighted by how often it occurs. */
export function jobMixOf(jobs: readonly JobDemand[]): JobMixEntry[] {
  const byKey = new Map<string, { hardware: HardwareRequirement; weight: number }>();
  for (const job of jobs) {
    const key = shapeOfJob(job).key;
    const entry = byKey.get(key);
    if (entry) entry.weight++;
    else byKey.set(key, { hardware: job.hardware ?? NO_REQUIREMENT, weight: 1 });
  }
  return [...byKey.values()];
}

/**
 * The mix used when none is given: mostly single GPUs, many fractions, some 2-, 4- and 8-GPU jobs (roughly the
 * shares of public production GPU-cluster traces).
 */
export const DEFAULT_JOB_MIX: readonly JobMixEntry[] = [
  { hardware: { gpus: 0.25 }, weight: 0.12 },
  { hardware: { gpus: 0.5 }, weight: 0.18 },
  { hardware: { gpus: 1 }, weight: 0.5 },
  { hardware: { gpus: 2 }, weight: 0.1 },
  { hardware: { gpus: 4 }, weight: 0.06 },
  { hardware: { gpus: 8 }, weight: 0.04 },
];

function checkAmount(name: string, value: number, max: number): void {
  if (!Number.isFinite(value) || value < 0 || value > max) {
    throw new AicError('ALLOCATOR_REQUIREMENT_INVALID', `${name} must be a number in 0…${max}`, {
      details: { field: name, value: String(value) },
    });
  }
}

function invalid(message: string, requirement: HardwareRequirement): never {
  throw new AicError('ALLOCATOR_REQUIREMENT_INVALID', message, { details: { gpus: requirement.gpus } });
}
