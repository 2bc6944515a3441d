import type { JobAnnouncementInput, OfferInput } from '../../src/api/schemas.ts';

/** A valid offer body (a one-GPU provider). */
export function sampleOffer(overrides: Partial<OfferInput> = {}): OfferInput {
  return {
    capacity: { gpus: 1, concurrentJobs: 2 },
    hardware: {
      gpus: [{ model: 'NVIDIA H100', memoryBytes: 80 * 2 ** 30 }],
      cpuCores: 16,
      memoryBytes: 128 * 2 ** 30,
      backends: ['cpu', 'webgpu'],
    },
    priceWeiPerHour: '1500000000000000000',
    cachedDatasetIds: ['bafy-mnist'],
    ttlSeconds: 600,
    ...overrides,
  };
}

/** A valid job announcement body. */
export function sampleJob(overrides: Partial<JobAnnouncementInput> = {}): JobAnnouncementInput {
  return {
    jobId: `0x${'ab'.repeat(32)}`,
    task: 'image-classification',
    modelId: 'bafy-model',
    datasetIds: ['bafy-mnist'],
    requirements: { minGpus: 1, minGpuMemoryBytes: 8 * 2 ** 30, backend: 'webgpu' },
    maxPriceWeiPerHour: '2000000000000000000',
    deadlineMs: Date.now() + 600_000,
    ...overrides,
  };
}
