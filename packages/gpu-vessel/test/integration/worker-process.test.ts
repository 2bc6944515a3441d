import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cidOfBytes, irisTemplate, listCheckpoints, trainJob } from '@aic/model-vessel';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  runTrainingWorker,
  type TrainingWorkerInit,
  type TrainingWorkerResult,
  WORKER_SEMI_SPACE_MIB,
  type WorkerCheckpoint,
  type WorkerProgress,
} from '../../src/worker/index.ts';
import { writeDatasetFile } from '../helpers/dataset-file.ts';

// Iris, 10 epochs of 8 steps, a commitment every 8 steps: 80 steps, 11 commitments, well under a second of training.
const spec = {
  manifest: irisTemplate.manifest,
  backend: 'cpu' as const,
  seed: 4,
  commitEverySteps: 8,
  hyperparameters: { epochs: 10 },
};
const MEMORY_MIB = 256;
const dirs: string[] = [];
const newDir = async () => {
  const dir = await mkdtemp(join(tmpdir(), 'aic-worker-'));
  dirs.push(dir);
  return dir;
};
// Iris's training split as the worker gets a job's data: safetensors on disk (written once, in beforeAll)
let irisFile: string;
const init = (checkpointDir: string, extra: Partial<TrainingWorkerInit> = {}): TrainingWorkerInit => ({
  spec,
  dataset: { file: irisFile },
  checkpointDir,
  memoryMiB: MEMORY_MIB,
  timeoutMs: 60_000,
  ...extra,
});
const checkpointFile = (dir: string, step: number, ext: string) =>
  join(dir, `checkpoint-${String(step).padStart(9, '0')}.${ext}`);

let full: TrainingWorkerResult;
let fullDir: string;

afterAll(async () => {
  await Promise.all(dirs.map((d) => rm(d, { recursive: true, force: true })));
});

describe('the training worker process', () => {
  const progress: WorkerProgress[] = [];
  const checkpoints: WorkerCheckpoint[] = [];
  let ready: { pid: number; heapLimitBytes: number; execArgv: string[] } | undefined;

  beforeAll(async () => {
    irisFile = await writeDatasetFile((await irisTemplate.loadData()).train, join(await newDir(), 'iris.safetensors'));
    fullDir = await newDir();
    full = await runTrainingWorker(init(fullDir), {
      onReady: (r) => {
        ready = r;
      },
      onProgress: (p) => progress.push(p),
      onCheckpoint: (c) => checkpoints.push(c),
    });
  });

  it('trains a job to the end in a child process, with the same commitments as an in-process run', async () => {
    expect(ready?.pid).not.toBe(process.pid);
    expect(full.steps).toBe(80);
    expect(full.resumedFrom).toBeNull();
    const local = await trainJob(spec, (await irisTemplate.loadData()).train);
    local.model.dispose();
    expect(full.commitments).toEqual(local.commitments);
    expect(full.commitmentRoot).toBe(local.commitmentRoot);
    expect(full.resultCid).toBe(local.resultCid);
    expect(await cidOfBytes(new Uint8Array(await readFile(full.weightsPath)))).toBe(full.resultCid);
  });

  it('streams progress and announces every checkpoint after saving it', async () => {
    expect(checkpoints.map((c) => c.index)).toEqual([...Array(11).keys()]);
    expect(checkpoints.map((c) => c.hash)).toEqual(full.commitments.map((c) => c.hash));
    expect(await listCheckpoints(fullDir)).toEqual(full.commitments.map((c) => c.step));
    expect(progress.at(-1)).toMatchObject({ step: 80, totalSteps: 80 });
    expect(progress.every((p) => Number.isFinite(p.loss) && p.accuracy !== undefined)).toBe(true);
  });

  it('runs under the V8 heap cap it was given', () => {
    expect(ready?.execArgv).toContain(`--max-old-space-size=${MEMORY_MIB}`);
    expect(ready?.execArgv).toContain(`--max-semi-space-size=${WORKER_SEMI_SPACE_MIB}`);
    const limitMiB = (ready?.heapLimitBytes ?? 0) / 2 ** 20;
    // old space is capped at MEMORY_MIB; V8 adds 3 semi-spaces of the young generation on top, whatever the Node
    // version (without the semi-space flag Node 24 gave 448 MiB here, Node 20 304 MiB)
    expect(limitMiB).toBeGreaterThanOrEqual(MEMORY_MIB);
    expect(limitMiB).toBeLessThanOrEqual(MEMORY_MIB + 3 * WORKER_SEMI_SPACE_MIB);
    expect(full.heapLimitBytes).toBe(ready?.heapLimitBytes);
  });
});

describe('the worker’s data', () => {
  it('reads Data Vessel shards (the first `rows` rows) to the same run as one file of the same rows', async () => {
    const dir = await newDir();
    const { train } = await irisTemplate.loadData();
    const width = train.featureShape.reduce((a, d) => a * d, 1);
    const half = Math.ceil(train.count / 2);
    const part = (from: number, to: number) => ({
      ...train,
      features: train.features.slice(from * width, to * width),
      labels: train.labels.slice(from, to),
      count: to - from,
    });
    const shards = [
      await writeDatasetFile(part(0, half), join(dir, 'shard-00000.safetensors')),
      await writeDatasetFile(part(half, train.count), join(dir, 'shard-00001.safetensors')),
    ];
    const fromShards = await runTrainingWorker(
      init(join(dir, 'checkpoints'), { dataset: { shards, rows: train.count } }),
    );
    expect(fromShards.commitmentRoot).toBe(full.commitmentRoot); // same samples ⇒ same job digest ⇒ same run
  });
});

describe('resuming after the worker stops', () => {
  it('continues after a stop at a commitment (preemption) to the same commitment root', async () => {
    const dir = await newDir();
    const partial = await runTrainingWorker(init(dir, { stopAfterStep: 40 }));
    expect(partial.steps).toBe(40);
    expect(partial.commitments).toEqual(full.commitments.slice(0, 6));
    const resumed = await runTrainingWorker(init(dir));
    expect(resumed.resumedFrom).toEqual({ index: 5, step: 40 });
    expect(resumed.commitmentRoot).toBe(full.commitmentRoot);
    expect(resumed.resultCid).toBe(full.resultCid);
  });

  it('continues after the worker was killed mid-run, past a torn last checkpoint, to the same root', async () => {
    const dir = await newDir();
    const controller = new AbortController();
    let pid = 0;
    const killed = runTrainingWorker(init(dir), {
      signal: controller.signal,
      onReady: (r) => {
        pid = r.pid;
      },
      onCheckpoint: (c) => void (c.index === 4 && controller.abort()),
    });
    await expect(killed).rejects.toMatchObject({ code: 'WORKER_ABORTED' });
    expect(() => process.kill(pid, 0)).toThrow(); // gone before the promise settled
    const steps = await listCheckpoints(dir);
    const last = steps.at(-1) as number;
    expect(last).toBeGreaterThanOrEqual(32);
    expect(last).toBeLessThan(80);
    await writeFile(checkpointFile(dir, last, 'json'), '{"format":"aic-checkpoint/1","jobDig'); // killed mid-write
    const resumed = await runTrainingWorker(init(dir));
    expect(resumed.resumedFrom?.step).toBe(steps.at(-2));
    expect(resumed.commitmentRoot).toBe(full.commitmentRoot);
  });

  it('continues a checkpoint handed over by another provider in a new directory', async () => {
    const dir = await newDir();
    const handed = {
      json: checkpointFile(fullDir, 48, 'json'),
      safetensors: checkpointFile(fullDir, 48, 'safetensors'),
    };
    const resumed = await runTrainingWorker(init(dir, { resumeFromFile: handed }));
    expect(resumed.resumedFrom).toEqual({ index: 6, step: 48 });
    expect(resumed.commitmentRoot).toBe(full.commitmentRoot);
    expect(await listCheckpoints(dir)).toEqual([48, 56, 64, 72, 80]);
    const otherJob = { ...spec, seed: 5 };
    await expect(
      runTrainingWorker(init(await newDir(), { spec: otherJob, resumeFromFile: handed })),
    ).rejects.toMatchObject({ code: 'RUNTIME_CHECKPOINT_MISMATCH' });
  });
});

describe('worker failures', () => {
  it('kills a worker at its time limit with WORKER_TIMEOUT', async () => {
    const run = runTrainingWorker(init(await newDir(), { timeoutMs: 300 }));
    await expect(run).rejects.toMatchObject({ code: 'WORKER_TIMEOUT' });
  });

  it('passes the runtime’s own errors through by code', async () => {
    const bad = { ...spec, hyperparameters: { epochs: 0 } };
    await expect(runTrainingWorker(init(await newDir(), { spec: bad }))).rejects.toMatchObject({
      code: 'MODEL_HYPERPARAMETER_INVALID',
    });
  });

  it('refuses an already aborted signal and a nonsensical memory cap without starting a process', async () => {
    const controller = new AbortController();
    controller.abort();
    const dir = await newDir();
    await expect(runTrainingWorker(init(dir), { signal: controller.signal })).rejects.toMatchObject({
      code: 'WORKER_ABORTED',
    });
    await expect(runTrainingWorker(init(dir, { memoryMiB: 1 }))).rejects.toMatchObject({ code: 'WORKER_INIT_INVALID' });
  });
});
