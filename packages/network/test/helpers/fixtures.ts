import type { JobAnnouncement, ProviderOffer } from '../../src/index.ts';

/** A valid provider offer (deterministic apart from `offerId`). */
export function sampleOffer(offerId = 'offer-1', overrides: Partial<ProviderOffer> = {}): ProviderOffer {
  return {
    offerId,
    capacity: { gpus: 1, concurrentJobs: 2 },
    hardware: {
      gpus: [{ model: 'NVIDIA H100 80GB HBM3', memoryBytes: 80 * 1024 ** 3 }],
      cpuCores: 16,
      memoryBytes: 128 * 1024 ** 3,
      backends: ['cpu', 'wasm', 'webgpu'],
    },
    priceWeiPerHour: 25n * 10n ** 18n + 1n,
    cachedDatasetIds: ['bafkreigh2akiscaildcqabsyg3dfr6chu3fgpregiymsck7e7aqa4s52zy'],
    ttlSeconds: 300,
    ...overrides,
  };
}

/** A valid job announcement with a deadline one hour after `nowMs`. */
export function sampleJobAnnouncement(nowMs = Date.now()): JobAnnouncement {
  return {
    jobId: `0x${'1f'.repeat(32)}`,
    task: 'image-classification',
    modelId: 'model-7',
    datasetIds: ['dataset-3'],
    requirements: { minGpus: 0, minGpuMemoryBytes: 0, backend: 'wasm' },
    maxPriceWeiPerHour: 10n ** 18n,
    deadlineMs: nowMs + 3_600_000,
  };
}
