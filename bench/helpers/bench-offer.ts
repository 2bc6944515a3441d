import type { ProviderOffer } from '@aic/network';

/** Wall-clock milliseconds comparable across processes and threads (performance.now() alone is per-process). */
export const now = () => performance.timeOrigin + performance.now();

/** The provider offer the network benchmarks gossip: a realistic size, every field filled. */
export function benchOffer(offerId: string): ProviderOffer {
  return {
    offerId,
    capacity: { gpus: 1, concurrentJobs: 1 },
    hardware: {
      gpus: [{ model: 'bench-gpu', memoryBytes: 24 * 1024 ** 3 }],
      cpuCores: 8,
      memoryBytes: 64 * 1024 ** 3,
      backends: ['wasm'],
    },
    priceWeiPerHour: 10n ** 18n,
    cachedDatasetIds: [],
    ttlSeconds: 600,
  };
}
