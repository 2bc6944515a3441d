/**
 * A job's training data as the worker gets it in production: safetensors (`features`, `labels`) on disk, the Data
 * Vessel's shard layout. Tests that need a dataset write a template's split this way; no job path loads a
 * template's npm data itself (templates reach jobs as published assets).
 */
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { tensorFromArray, writeSafetensors } from '@aic/core/safetensors';
import { TEMPLATES, type TensorDataset } from '@aic/model-vessel';
import type { WorkerDataset } from '../../src/worker/protocol.ts';

/** Writes `data` as one safetensors file with tensors `features` [count, ...] and `labels` [count, ...]. */
export async function writeDatasetFile(data: TensorDataset, file: string): Promise<string> {
  const tensors = {
    features: tensorFromArray(data.features, [data.count, ...data.featureShape]),
    labels: tensorFromArray(data.labels, [data.count, ...data.labelShape]),
  };
  await writeFile(file, writeSafetensors(tensors));
  return file;
}

/** A template's split in memory (what the worker will read back from the file below). */
export async function templateSplit(template: string, split: 'train' | 'test' = 'train'): Promise<TensorDataset> {
  const found = TEMPLATES[template];
  if (!found) throw new Error(`no template ${template}`);
  return (await found.loadData())[split];
}

/** A template's split written under `dir` as the worker's dataset file. */
export async function templateDatasetFile(
  template: string,
  dir: string,
  split: 'train' | 'test' = 'train',
): Promise<WorkerDataset> {
  const file = await writeDatasetFile(
    await templateSplit(template, split),
    join(dir, `${template}-${split}.safetensors`),
  );
  return { file };
}
