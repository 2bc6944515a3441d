import { randomBytes } from 'node:crypto';
import { aicToWei } from '@aic/core';
import type { ApiClient, OfferInput } from '@aic/node/api';
import { nodeApi } from './node-api.ts';
import type { DevnetNodeInfo } from './nodes-events.ts';

/**
 * Gives a fresh devnet something to show: every GPU provider publishes an offer and the requester announces a job.
 * (Later issues replace this with real Vessel behaviour: benchmarks, datasets, escrowed jobs.)
 */
export async function startDemoActivity(nodes: DevnetNodeInfo[]): Promise<void> {
  const providers = nodes.filter((n) => n.role === 'gpu-provider');
  await Promise.all(providers.map((n, k) => nodeApi(n).publishOffer({ body: demoOffer(k) })));
  const requester = nodes.find((n) => n.role === 'requester');
  if (requester !== undefined) await announceDemoJob(nodeApi(requester));
}

function demoOffer(k: number): OfferInput {
  return {
    offerId: 'devnet-gpu',
    capacity: { gpus: 1 + (k % 2), concurrentJobs: 2 },
    hardware: {
      gpus: Array.from({ length: 1 + (k % 2) }, () => ({
        model: k % 2 === 0 ? 'NVIDIA H100' : 'NVIDIA A100',
        memoryBytes: 80 * 2 ** 30,
      })),
      cpuCores: 16,
      memoryBytes: 128 * 2 ** 30,
      backends: ['cpu', 'webgpu'],
    },
    priceWeiPerHour: aicToWei(2 + k / 2).toString(),
    cachedDatasetIds: [],
    ttlSeconds: 3600,
  };
}

async function announceDemoJob(api: ApiClient): Promise<void> {
  await api.announceJob({
    body: {
      jobId: `0x${randomBytes(32).toString('hex')}`,
      task: 'image-classification',
      modelId: 'template:image-classification',
      datasetIds: [],
      requirements: { minGpus: 1, minGpuMemoryBytes: 16 * 2 ** 30, backend: 'webgpu' },
      maxPriceWeiPerHour: aicToWei(3).toString(),
      deadlineMs: Date.now() + 3600_000,
    },
  });
}
