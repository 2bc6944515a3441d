import { readFile } from 'node:fs/promises';
import { AicError } from '@aic/core';
import { datasetFromSafetensors, TEMPLATES, type TensorDataset } from '@aic/model-vessel';
import type { WorkerDataset } from './protocol.ts';

/** Loads the worker's training data (inside the child, so a huge or hostile file hits the child's memory cap). */
export async function loadWorkerDataset(source: WorkerDataset): Promise<TensorDataset> {
  if ('file' in source) {
    const bytes = await readFile(source.file);
    return datasetFromSafetensors(new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength));
  }
  const template = TEMPLATES[source.template];
  if (!template) throw new AicError('WORKER_DATASET_UNKNOWN', `no template ${source.template}`);
  return (await template.loadData())[source.split];
}
