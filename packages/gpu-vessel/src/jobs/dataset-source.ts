/**
 * Loads a job's training data from the source its ticket names and checks it against the Dataset NFT's content
 * root, so a provider trains on exactly the published dataset. Sources are the templates' datasets every GPU Vessel
 * ships (its "cached datasets"); fetching other datasets over `/aic/data-chunk` is the Data Vessel's part.
 */
import { AicError } from '@aic/core';
import { datasetDigest, TEMPLATES, type TensorDataset } from '@aic/model-vessel';
import { bytesToHex, type Hex } from 'viem';
import { DATASET_SOURCE_PATTERN } from './job-ticket.ts';

const cache = new Map<string, Promise<TensorDataset>>();

/** A template split's data. A ticket naming a published dataset (`{ assetId }`) needs the node's data role:
 * `loadTicketDataset` (throws JOB_ASSETS_UNAVAILABLE here). */
export async function loadDatasetSource(source: string | { assetId: string }): Promise<TensorDataset> {
  if (typeof source !== 'string') {
    throw new AicError(
      'JOB_ASSETS_UNAVAILABLE',
      `dataset #${source.assetId} is a published asset: use loadTicketDataset`,
    );
  }
  const match = DATASET_SOURCE_PATTERN.exec(source);
  if (!match) throw new AicError('JOB_DATASET_UNKNOWN', `unknown dataset source ${source}`);
  const [, id, split] = match as unknown as [string, string, 'train' | 'test'];
  let loading = cache.get(source);
  if (!loading) {
    const template = TEMPLATES[id];
    if (!template) throw new AicError('JOB_DATASET_UNKNOWN', `no template ${id}`);
    loading = template.loadData().then((d) => d[split]);
    cache.set(source, loading);
  }
  return await loading;
}

/** The content root a Dataset NFT of this data carries. */
export const datasetRootOf = (data: TensorDataset): Hex => bytesToHex(datasetDigest(data));

/** Throws JOB_DATASET_MISMATCH when the data is not the one the NFT commits to. */
export function checkDatasetRoot(data: TensorDataset, contentRoot: Hex): void {
  if (datasetRootOf(data).toLowerCase() !== contentRoot.toLowerCase()) {
    throw new AicError('JOB_DATASET_MISMATCH', 'training data does not match the Dataset NFT content root');
  }
}
