/**
 * A reproducible synthetic GPU fleet and job stream, shaped like public production GPU-cluster traces (no trace
 * ships): machine types with several GPUs of one or mixed models, many identical machines per type and region,
 * jobs asking for fractions of a GPU, one GPU or several GPUs on one machine, with CPU and memory amounts and some
 * model sets.
 */
import { seededUniforms } from '@aic/core';
import type { Coordinate, Gpu, HardwareRequirement, JobDemand, Offer } from './types.ts';

export interface MachineType {
  readonly name: string;
  readonly gpus: readonly Gpu[];
  readonly cpuCores: number;
  readonly memoryGiB: number;
  /** Per GPU (per job on a machine without GPUs). */
  readonly tflops: number;
  readonly pricePerHour: number;
  readonly hwClass: number;
  /** Share of the fleet. */
  readonly weight: number;
}

const gpus = (n: number, model: string, memoryGiB: number): Gpu[] =>
  Array.from({ length: n }, () => ({ model, memoryGiB }));

/** Machine types of a mixed fleet (six GPU models, 1 to 8 GPUs, one mixed-model box, CPU-only nodes). */
export const FLEET_MACHINE_TYPES: readonly MachineType[] = [
  {
    name: '8xA100-80G',
    gpus: gpus(8, 'A100-80G', 80),
    cpuCores: 96,
    memoryGiB: 768,
    tflops: 150,
    pricePerHour: 1.8,
    hwClass: 4,
    weight: 0.14,
  },
  {
    name: '8xV100-32G',
    gpus: gpus(8, 'V100-32G', 32),
    cpuCores: 64,
    memoryGiB: 512,
    tflops: 60,
    pricePerHour: 0.7,
    hwClass: 4,
    weight: 0.12,
  },
  {
    name: '4xT4-16G',
    gpus: gpus(4, 'T4-16G', 16),
    cpuCores: 32,
    memoryGiB: 256,
    tflops: 30,
    pricePerHour: 0.33,
    hwClass: 3,
    weight: 0.2,
  },
  {
    name: '2xA10-24G',
    gpus: gpus(2, 'A10-24G', 24),
    cpuCores: 32,
    memoryGiB: 192,
    tflops: 60,
    pricePerHour: 0.65,
    hwClass: 3,
    weight: 0.18,
  },
  {
    name: '1xP100-16G',
    gpus: gpus(1, 'P100-16G', 16),
    cpuCores: 16,
    memoryGiB: 96,
    tflops: 18,
    pricePerHour: 0.2,
    hwClass: 2,
    weight: 0.12,
  },
  {
    name: '8xH100-80G',
    gpus: gpus(8, 'H100-80G', 80),
    cpuCores: 128,
    memoryGiB: 1024,
    tflops: 400,
    pricePerHour: 4.2,
    hwClass: 4,
    weight: 0.06,
  },
  {
    name: '2xA10+2xT4',
    gpus: [...gpus(2, 'A10-24G', 24), ...gpus(2, 'T4-16G', 16)],
    cpuCores: 48,
    memoryGiB: 256,
    tflops: 40,
    pricePerHour: 0.45,
    hwClass: 3,
    weight: 0.08,
  },
  { name: 'cpu-64', gpus: [], cpuCores: 64, memoryGiB: 256, tflops: 2, pricePerHour: 0.4, hwClass: 0, weight: 0.1 },
];

const REGIONS: Coordinate[] = [
  { vec: [0, 0, 0], height: 2 },
  { vec: [80, 10, 0], height: 2 },
  { vec: [-60, 70, 5], height: 3 },
];

export interface FleetOptions {
  readonly machines: number;
  readonly seed: bigint;
  readonly types?: readonly MachineType[];
  /** Share of machines that are all of the first type in the first region (default: none beyond the mix). */
  readonly identicalShare?: number;
}

/** A fleet of machine offers: identical within a (type, region), so identical machines group together. */
export function syntheticFleet(options: FleetOptions): Offer[] {
  const types = options.types ?? FLEET_MACHINE_TYPES;
  const u = seededUniforms(options.seed, 'fleet');
  const total = types.reduce((s, t) => s + t.weight, 0);
  const identical = Math.round(options.machines * (options.identicalShare ?? 0));
  return Array.from({ length: options.machines }, (_, i) => {
    const x = u() * total;
    const pickedType = i < identical ? types[0]! : pickByWeight(types, x);
    const region = i < identical ? 0 : Math.floor(u() * REGIONS.length);
    return machineOffer(`m-${i}`, pickedType, region);
  });
}

function machineOffer(id: string, type: MachineType, region: number): Offer {
  return {
    id,
    provider: `provider-${id}`,
    hwClass: type.hwClass,
    memoryGiB: type.gpus.reduce((m, g) => Math.max(m, g.memoryGiB), 0),
    tflops: type.tflops,
    pricePerHour: type.pricePerHour * (1 + 0.02 * region),
    stake: 10_000,
    reputation: 1,
    coordinate: REGIONS[region]!,
    bandwidthMBps: 200,
    cachedDatasets: [],
    slots: 64,
    machine: { gpus: type.gpus, cpuCores: type.cpuCores, memoryGiB: type.memoryGiB },
  };
}

export interface FleetJobOptions {
  /** Share of jobs that name a model set (default 0.15). */
  readonly modelSetShare?: number;
}

/**
 * GPU jobs: ~10 % CPU-only, ~35 % fractions (0.1 … 0.75 of a GPU), ~45 % one GPU, ~10 % 2, 4 or 8 GPUs on one
 * machine; CPU and memory in proportion; some ask for a model set or a minimum GPU memory.
 */
export function syntheticFleetJobs(count: number, seed: bigint, options: FleetJobOptions = {}): JobDemand[] {
  const u = seededUniforms(seed, 'fleet-jobs');
  const modelSetShare = options.modelSetShare ?? 0.15;
  return Array.from({ length: count }, (_, i) => {
    const hardware = requirement(u, modelSetShare);
    return {
      id: `gjob-${i}`,
      minHwClass: 0,
      minMemoryGiB: 0,
      workTflop: 1e4 * (1 + 10 * u()),
      maxPricePerHour: 1e6,
      minStake: 0,
      datasetMB: 0,
      dataSources: [],
      hardware,
    };
  });
}

const MODEL_SETS: readonly (readonly string[])[] = [
  ['A100-80G', 'H100-80G'],
  ['V100-32G'],
  ['T4-16G', 'A10-24G'],
  ['A10-24G'],
];
const BIG_MODEL_SETS: readonly (readonly string[])[] = [['A100-80G', 'H100-80G'], ['V100-32G'], ['A100-80G']];
const FRACTIONS = [0.1, 0.25, 0.5, 0.5, 0.75];
const MULTI = [2, 2, 2, 4, 4, 8];

function requirement(u: () => number, modelSetShare: number): HardwareRequirement {
  const x = u();
  const gpus =
    x < 0.1
      ? 0
      : x < 0.45
        ? FRACTIONS[Math.floor(u() * FRACTIONS.length)]!
        : x < 0.9
          ? 1
          : MULTI[Math.floor(u() * MULTI.length)]!;
  const perGpu = Math.max(gpus, 0.5);
  const cpuCores =
    gpus === 0 ? [4, 8, 16, 32][Math.floor(u() * 4)]! : Math.ceil(perGpu * [2, 4, 8][Math.floor(u() * 3)]!);
  const memoryGiB =
    gpus === 0 ? [8, 16, 64][Math.floor(u() * 3)]! : Math.ceil(perGpu * [8, 16, 32][Math.floor(u() * 3)]!);
  // A model set is asked only where machines of those models have that many GPUs (8-GPU models for 2+ GPUs).
  const named = gpus > 0 && u() < modelSetShare;
  const sets = gpus > 1 ? BIG_MODEL_SETS : MODEL_SETS;
  const bigMemory = gpus >= 1 && !named && u() < 0.1;
  return {
    gpus,
    cpuCores,
    memoryGiB,
    ...(named ? { gpuModels: sets[Math.floor(u() * sets.length)]! } : {}),
    ...(bigMemory ? { minGpuMemoryGiB: 32 } : {}),
  };
}

function pickByWeight<T extends { weight: number }>(items: readonly T[], x: number): T {
  let acc = 0;
  for (const item of items) {
    acc += item.weight;
    if (x < acc) return item;
  }
  return items[items.length - 1]!;
}
