import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { afterAll, describe, expect, it } from 'vitest';
import {
  type Checkpoint,
  irisTemplate,
  loadCheckpoint,
  type RuntimeBackend,
  saveCheckpoint,
  trainJob,
} from '../../src/index.ts';
import { smallMnist, smallMnistJob } from './fixtures/small-mnist-job.ts';

const dirs: string[] = [];
afterAll(async () => {
  await Promise.all(dirs.map((d) => rm(d, { recursive: true, force: true })));
});

async function checkResume(spec: Parameters<typeof trainJob>[0], data: Parameters<typeof trainJob>[1]) {
  const checkpoints: Checkpoint[] = [];
  const full = await trainJob(spec, data, { onCheckpoint: (c) => void checkpoints.push(c) });
  full.model.dispose();
  expect(checkpoints.length).toBe(full.commitments.length);
  const middle = checkpoints[Math.floor(checkpoints.length / 2)] as Checkpoint;
  // through the files, as a preempted job would be picked up elsewhere
  const dir = await mkdtemp(join(tmpdir(), 'aic-ckpt-'));
  dirs.push(dir);
  await saveCheckpoint(dir, middle);
  const loaded = await loadCheckpoint(dir);
  expect(loaded.step).toBe(middle.step);
  const resumed = await trainJob(spec, data, { resumeFrom: loaded });
  resumed.model.dispose();
  expect(resumed.commitments).toEqual(full.commitments);
  expect(resumed.commitmentRoot).toBe(full.commitmentRoot);
  expect(resumed.weightsHash).toBe(full.weightsHash);
  expect(resumed.resultCid).toBe(full.resultCid);
  return { full, middle };
}

describe('resuming from a checkpoint', () => {
  it('reproduces every later commitment exactly (MNIST MLP, Adam, cpu and wasm)', async () => {
    const data = await smallMnist();
    for (const backend of ['wasm', 'cpu'] as RuntimeBackend[]) {
      const { full, middle } = await checkResume(smallMnistJob(backend), data);
      expect(middle.step).toBeGreaterThan(0);
      expect(full.commitments.map((c) => c.step).slice(0, 3)).toEqual([0, 10, 20]);
    }
  });

  it('reproduces them across epoch boundaries with SGD (Iris)', async () => {
    const { train } = await irisTemplate.loadData();
    const spec = {
      manifest: irisTemplate.manifest,
      backend: 'cpu' as const,
      seed: 9,
      commitEverySteps: 7,
      hyperparameters: { epochs: 6, optimizer: 'sgd', learningRate: 0.1 },
    };
    await checkResume(spec, train);
  });

  it('stops at a step like a preempted job and finishes identically after resuming', async () => {
    const { train } = await irisTemplate.loadData();
    const spec = {
      manifest: irisTemplate.manifest,
      backend: 'wasm' as const,
      seed: 5,
      commitEverySteps: 5,
      hyperparameters: { epochs: 4 },
    };
    const full = await trainJob(spec, train);
    let last: Checkpoint | undefined;
    const partial = await trainJob(spec, train, {
      stopAfterStep: 15,
      onCheckpoint: (c) => {
        last = c;
      },
    });
    expect(partial.steps).toBe(15);
    const resumed = await trainJob(spec, train, { resumeFrom: last as unknown as Checkpoint });
    expect(resumed.commitmentRoot).toBe(full.commitmentRoot);
    const other = { ...spec, seed: 6 };
    await expect(trainJob(other, train, { resumeFrom: last as unknown as Checkpoint })).rejects.toMatchObject({
      code: 'RUNTIME_CHECKPOINT_MISMATCH',
    });
    for (const r of [full, partial, resumed]) r.model.dispose();
  });

  it('stops with RUNTIME_ABORTED when its signal is aborted', async () => {
    const { train } = await irisTemplate.loadData();
    const controller = new AbortController();
    const spec = { manifest: irisTemplate.manifest, backend: 'cpu' as const, seed: 2, commitEverySteps: 5 };
    const run = trainJob(spec, train, {
      signal: controller.signal,
      onCheckpoint: (c) => void (c.step === 10 && controller.abort()),
    });
    await expect(run).rejects.toMatchObject({ code: 'RUNTIME_ABORTED' });
  });

  it('leaves no tensors behind once the result model is disposed', async () => {
    const { train } = await irisTemplate.loadData();
    const spec = { manifest: irisTemplate.manifest, backend: 'cpu' as const, seed: 2, hyperparameters: { epochs: 3 } };
    (await trainJob(spec, train)).model.dispose(); // first run: backend and kernel setup
    const before = tf.memory().numTensors;
    const checkpoints: Checkpoint[] = [];
    (await trainJob(spec, train, { onCheckpoint: (c) => void checkpoints.push(c) })).model.dispose();
    (await trainJob(spec, train, { resumeFrom: checkpoints[1] as Checkpoint })).model.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });
});
