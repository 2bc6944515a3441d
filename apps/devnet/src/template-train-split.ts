/**
 * The training split of a template's published dataset, in memory: what a provider trains on when a job names the
 * Dataset NFT the devnet published from the template's examples (`writeTemplateAssets`: the build is deterministic,
 * so the shards are byte for byte those the data owner's node encrypted). Benches and fault tests train the same
 * ticket locally with it and compare commitment roots.
 */
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AicError } from '@aic/core';
import { type JobTicket, loadShardDataset } from '@aic/gpu-vessel';
import { TEMPLATES, type TensorDataset } from '@aic/model-vessel';
import { PUBLISHABLE_TEMPLATES, type PublishableTemplate, writeTemplateAssets } from './template-assets.ts';

/** The template's train split as its published dataset's shards hold it (first `trainRows` rows). */
export async function templateTrainSplit(template: PublishableTemplate): Promise<TensorDataset> {
  const root = await mkdtemp(join(tmpdir(), 'aic-template-split-'));
  try {
    const { datasetDir } = await writeTemplateAssets(template, root, 0n);
    const manifest = JSON.parse(await readFile(join(datasetDir, 'manifest.json'), 'utf8')) as {
      split: { trainRows: number };
    };
    const shards = (await readdir(datasetDir))
      .filter((f) => f.endsWith('.safetensors'))
      .sort()
      .map((f) => join(datasetDir, f));
    return await loadShardDataset(shards, manifest.split.trainRows);
  } finally {
    await rm(root, { recursive: true, force: true });
  }
}

/** The template whose published model manifest is exactly `manifestText` (as `writeTemplateAssets` writes it). */
export function templateOfManifest(manifestText: string): PublishableTemplate {
  const found = PUBLISHABLE_TEMPLATES.find((t) => JSON.stringify(TEMPLATES[t]?.manifest, null, 2) === manifestText);
  if (!found)
    throw new AicError('DEVNET_TEMPLATE_UNKNOWN', 'the model manifest is no template published by the devnet');
  return found;
}

/** A devnet job ticket's training data: the published template split its Model NFT's manifest names. */
export async function ticketTrainData(ticket: JobTicket): Promise<TensorDataset> {
  return await templateTrainSplit(templateOfManifest(ticket.model.manifest));
}
