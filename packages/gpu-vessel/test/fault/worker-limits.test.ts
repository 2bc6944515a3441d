import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { irisTemplate, mnistTemplate } from '@aic/model-vessel';
import { afterAll, describe, expect, it } from 'vitest';
import { runTrainingWorker } from '../../src/worker/index.ts';

const dirs: string[] = [];
afterAll(async () => {
  await Promise.all(dirs.map((d) => rm(d, { recursive: true, force: true })));
});
const newDir = async () => {
  const dir = await mkdtemp(join(tmpdir(), 'aic-worker-oom-'));
  dirs.push(dir);
  return dir;
};

describe('the worker memory cap', () => {
  // 64 MiB of V8 heap: enough for the runtime and Iris, not for parsing MNIST's ~10,000 digits of JSON
  const memoryMiB = 64;

  it('lets a small job finish under the cap', async () => {
    const spec = { manifest: irisTemplate.manifest, backend: 'cpu' as const, seed: 1, hyperparameters: { epochs: 1 } };
    const result = await runTrainingWorker({
      spec,
      dataset: { template: 'iris', split: 'train' },
      checkpointDir: await newDir(),
      memoryMiB,
      timeoutMs: 60_000,
    });
    expect(result.steps).toBe(8);
  });

  it('ends a job whose data does not fit with WORKER_OUT_OF_MEMORY, not a hang or a generic crash', async () => {
    const spec = { manifest: mnistTemplate.manifest, backend: 'cpu' as const, seed: 1, hyperparameters: { epochs: 1 } };
    const run = runTrainingWorker({
      spec,
      dataset: { template: 'mnist', split: 'train' },
      checkpointDir: await newDir(),
      memoryMiB,
      timeoutMs: 60_000,
    });
    await expect(run).rejects.toMatchObject({ code: 'WORKER_OUT_OF_MEMORY', details: { memoryMiB } });
  });
});
