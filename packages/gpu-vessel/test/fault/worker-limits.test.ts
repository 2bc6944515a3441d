import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { irisTemplate } from '@aic/model-vessel';
import { afterAll, describe, expect, it } from 'vitest';
import { runTrainingWorker } from '../../src/worker/index.ts';
import { templateDatasetFile } from '../helpers/dataset-file.ts';

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
  // 64 MiB of V8 heap: enough for the runtime and Iris, not for a shard whose header parses into ~70 MiB of objects
  const memoryMiB = 64;

  it('lets a small job finish under the cap', async () => {
    const spec = { manifest: irisTemplate.manifest, backend: 'cpu' as const, seed: 1, hyperparameters: { epochs: 1 } };
    const result = await runTrainingWorker({
      spec,
      dataset: await templateDatasetFile('iris', await newDir()),
      checkpointDir: await newDir(),
      memoryMiB,
      timeoutMs: 60_000,
    });
    expect(result.steps).toBe(8);
  });

  it('ends a job whose data does not fit with WORKER_OUT_OF_MEMORY, not a hang or a generic crash', async () => {
    // A job's shards are untrusted: this one's safetensors header (just under the reader's 16 MiB limit) holds
    // ~700,000 metadata entries, which the child parses into its own heap.
    const entries = Array.from({ length: 700_000 }, (_, i) => `"m${i}":"v${i}"`).join(',');
    const header = new TextEncoder().encode(
      `{"__metadata__":{${entries}},"features":{"dtype":"F32","shape":[1,4],"data_offsets":[0,16]},"labels":{"dtype":"F32","shape":[1],"data_offsets":[16,20]}}`,
    );
    const file = join(await newDir(), 'shard-00000.safetensors');
    const length = new Uint8Array(8);
    new DataView(length.buffer).setBigUint64(0, BigInt(header.length), true);
    await writeFile(file, Buffer.concat([length, header, new Uint8Array(20)]));
    const spec = { manifest: irisTemplate.manifest, backend: 'cpu' as const, seed: 1, hyperparameters: { epochs: 1 } };
    const run = runTrainingWorker({
      spec,
      dataset: { shards: [file], rows: 1 },
      checkpointDir: await newDir(),
      memoryMiB,
      timeoutMs: 60_000,
    });
    await expect(run).rejects.toMatchObject({ code: 'WORKER_OUT_OF_MEMORY', details: { memoryMiB } });
  });
});
