import { readFile } from 'node:fs/promises';
import { AicError } from '@aic/core';
import { datasetFromSafetensors, type TensorDataset } from '@aic/model-vessel';
import type { WorkerDataset } from './protocol.ts';

async function readSafetensorsFile(file: string): Promise<TensorDataset> {
  const bytes = await readFile(file);
  return datasetFromSafetensors(new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength));
}

const product = (shape: readonly number[]) => shape.reduce((a, d) => a * d, 1);

function refuse(reason: string, details: Record<string, unknown> = {}): never {
  throw new AicError('WORKER_DATASET_INVALID', reason, { details });
}

/**
 * The first `rows` rows over Data Vessel shards (safetensors with `features` and `labels`, in manifest order): the
 * dataset's training split. Every shard must have the same per-row shapes. Throws WORKER_DATASET_INVALID, or the
 * Model Vessel's RUNTIME_DATA_INVALID for a malformed shard.
 */
export async function loadShardDataset(files: readonly string[], rows: number): Promise<TensorDataset> {
  if (!Number.isSafeInteger(rows) || rows < 1) refuse('a dataset needs at least one training row', { rows });
  const parts: TensorDataset[] = [];
  let count = 0;
  for (const file of files) {
    if (count >= rows) break;
    const part = await readSafetensorsFile(file);
    const first = parts[0];
    if (
      first &&
      (first.featureShape.join() !== part.featureShape.join() || first.labelShape.join() !== part.labelShape.join())
    ) {
      refuse('the shards do not share one row shape', { shard: parts.length });
    }
    parts.push(part);
    count += part.count;
  }
  const first = parts[0];
  if (!first || count < rows) refuse(`the shards hold ${count} rows, the training split has ${rows}`, { rows, count });
  const featureWidth = product(first.featureShape);
  const labelWidth = product(first.labelShape);
  const features = new Float32Array(rows * featureWidth);
  const labels = new Float32Array(rows * labelWidth);
  let at = 0;
  for (const part of parts) {
    const take = Math.min(part.count, rows - at);
    features.set(part.features.subarray(0, take * featureWidth), at * featureWidth);
    labels.set(part.labels.subarray(0, take * labelWidth), at * labelWidth);
    at += take;
  }
  return { features, featureShape: first.featureShape, labels, labelShape: first.labelShape, count: rows };
}

/** Loads the worker's training data (inside the child, so a huge or hostile file hits the child's memory cap). */
export async function loadWorkerDataset(source: WorkerDataset): Promise<TensorDataset> {
  if ('file' in source) return await readSafetensorsFile(source.file);
  return await loadShardDataset(source.shards, source.rows);
}
