/**
 * A reproducible synthetic market for benchmarks, simulations and tests: providers spread over a few network
 * "regions" (Vivaldi coordinates), hardware classes with realistic throughput and price spreads, partial caches.
 */
import { seededUniforms } from '@aic/core';
import type { Coordinate, JobDemand, Offer } from './types.ts';

const CLASSES = [
  { tflops: 0.3, price: 0.05, memoryGiB: 16 }, // CPU
  { tflops: 20, price: 0.6, memoryGiB: 12 }, // consumer GPU
  { tflops: 40, price: 1.2, memoryGiB: 24 }, // workstation GPU
  { tflops: 60, price: 2.5, memoryGiB: 80 }, // datacenter GPU
  { tflops: 240, price: 10, memoryGiB: 320 }, // multi-GPU
] as const;

const REGIONS: Coordinate[] = [
  { vec: [0, 0, 0], height: 2 },
  { vec: [80, 10, 0], height: 2 },
  { vec: [-60, 70, 5], height: 3 },
  { vec: [20, -120, 10], height: 4 },
];

export function syntheticOffers(count: number, seed: bigint, datasets = 50): Offer[] {
  const u = seededUniforms(seed, 'offers');
  return Array.from({ length: count }, (_, i) => {
    const cls = pickClass(u());
    const spec = CLASSES[cls]!;
    const region = REGIONS[Math.floor(u() * REGIONS.length)]!;
    const cached = Array.from({ length: Math.floor(u() * 4) }, () => `dataset-${Math.floor(u() * datasets)}`);
    return {
      id: `offer-${i}`,
      provider: `provider-${i}`,
      hwClass: cls,
      memoryGiB: spec.memoryGiB,
      tflops: spec.tflops * (0.7 + 0.6 * u()),
      pricePerHour: spec.price * (0.6 + 0.8 * u()),
      stake: 1_000 * (cls + 1) * (1 + 4 * u()),
      reputation: u(),
      coordinate: { vec: region.vec.map((x) => x + (u() - 0.5) * 20), height: region.height + u() * 3 },
      bandwidthMBps: 20 + 480 * u(),
      cachedDatasets: new Set(cached),
      slots: 1 + Math.floor(u() * 3),
    };
  });
}

export function syntheticJobs(count: number, seed: bigint, datasets = 50): JobDemand[] {
  const u = seededUniforms(seed, 'jobs');
  return Array.from({ length: count }, (_, i) => {
    const minHwClass = Math.floor(u() * 4);
    const region = REGIONS[Math.floor(u() * REGIONS.length)]!;
    return {
      id: `job-${i}`,
      minHwClass,
      minMemoryGiB: u() < 0.3 ? 24 : 8,
      workTflop: 1e3 * (1 + 1e3 * u() * u()),
      maxPricePerHour: 3 + 20 * u(),
      minStake: 500 * minHwClass,
      datasetId: `dataset-${Math.floor(u() * datasets)}`,
      datasetMB: 10 + 2_000 * u(),
      dataSources: [region],
    };
  });
}

function pickClass(x: number): number {
  return x < 0.15 ? 0 : x < 0.55 ? 1 : x < 0.8 ? 2 : x < 0.97 ? 3 : 4;
}
