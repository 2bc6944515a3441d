/** The worker's loader for a published dataset: the first `rows` rows over Data Vessel shards, in order. */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isAicError } from '@aic/core';
import { tensorFromArray, writeSafetensors } from '@aic/core/safetensors';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadShardDataset, loadWorkerDataset } from '../../src/worker/dataset-source.ts';
import { workerDatasetSchema } from '../../src/worker/protocol.ts';

let dir: string;
const files: string[] = [];

/** A shard of `rows` rows whose features are [first + r, -(first + r)] and labels (first + r) % 2. */
async function shard(name: string, first: number, rows: number, width = 2): Promise<string> {
  const features = Float32Array.from(
    { length: rows * width },
    (_, i) => (first + Math.floor(i / width)) * (i % 2 ? -1 : 1),
  );
  const labels = Int32Array.from({ length: rows }, (_, r) => (first + r) % 2);
  const path = join(dir, name);
  await writeFile(
    path,
    writeSafetensors({ features: tensorFromArray(features, [rows, width]), labels: tensorFromArray(labels, [rows]) }),
  );
  return path;
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'aic-shards-'));
  files.push(
    await shard('a.safetensors', 0, 5),
    await shard('b.safetensors', 5, 5),
    await shard('c.safetensors', 10, 5),
  );
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function codeOf(run: () => Promise<unknown>): Promise<string | undefined> {
  try {
    await run();
  } catch (error) {
    return isAicError(error) ? error.code : 'not an AicError';
  }
  return undefined;
}

describe('loadShardDataset', () => {
  it('takes the first rows across shards in order (the train split), not the test rows after them', async () => {
    const data = await loadShardDataset(files, 12);
    expect(data.count).toBe(12);
    expect(data.featureShape).toEqual([2]);
    expect(data.labelShape).toEqual([1]);
    expect(Array.from(data.features.subarray(0, 4))).toEqual([0, -0, 1, -1]);
    expect(data.features[22]).toBe(11);
    expect(Array.from(data.labels.subarray(9, 12))).toEqual([1, 0, 1]);
  });

  it('refuses more rows than the shards hold, and shards of different row shapes (WORKER_DATASET_INVALID)', async () => {
    expect(await codeOf(() => loadShardDataset(files, 16))).toBe('WORKER_DATASET_INVALID');
    const wide = await shard('wide.safetensors', 5, 5, 3);
    expect(await codeOf(() => loadShardDataset([files[0]!, wide], 8))).toBe('WORKER_DATASET_INVALID');
  });

  it('is what the worker loads for a { shards, rows } start message', async () => {
    const source = workerDatasetSchema.parse({ shards: files, rows: 7 });
    expect((await loadWorkerDataset(source)).count).toBe(7);
    expect(workerDatasetSchema.safeParse({ shards: [], rows: 7 }).success).toBe(false);
    expect(workerDatasetSchema.safeParse({ shards: files, rows: 0 }).success).toBe(false);
  });
});
