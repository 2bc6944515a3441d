/**
 * The chain side of a job named by asset ids: both NFTs exist and are of the right kind (a Dataset NFT; a Model or
 * TrainedAI NFT), the model manifest's exact bytes hash to the Model NFT's contentRoot, the dataset manifest's root is
 * the Dataset NFT's contentRoot, and a ticket names the same assets the escrowed job does. The requester checks this
 * before paying, the provider, the verifier and the arbiter before they build the model or touch the data.
 */
import { AicError } from '@aic/core';
import { AssetKind, type LedgerClient } from '@aic/ledger';
import { type Hex, keccak256 } from 'viem';
import type { JobDatasetManifest } from './asset-port.ts';
import type { JobTicket } from './job-ticket.ts';

const KIND_NAMES = ['Data', 'Dataset', 'Model', 'TrainedAI'];

export interface JobAsset {
  readonly kind: number;
  readonly contentRoot: Hex;
  readonly manifestCid: string;
}

async function assetOf(ledger: LedgerClient, assetId: string): Promise<JobAsset> {
  const asset = (await ledger.registry.read.assetOf([BigInt(assetId)])) as JobAsset;
  return { kind: Number(asset.kind), contentRoot: asset.contentRoot, manifestCid: asset.manifestCid };
}

function checkKind(assetId: string, asset: JobAsset, role: 'dataset' | 'model'): void {
  const ok =
    role === 'dataset'
      ? asset.kind === AssetKind.Dataset
      : asset.kind === AssetKind.Model || asset.kind === AssetKind.TrainedAI;
  if (!ok) {
    const kind = KIND_NAMES[asset.kind] ?? `kind ${asset.kind}`;
    const wanted = role === 'dataset' ? 'a Dataset NFT' : 'a Model or TrainedAI NFT';
    throw new AicError(
      'JOB_ASSET_KIND_MISMATCH',
      `asset #${assetId} is a ${kind} NFT: a job's ${role} must be ${wanted}`,
      {
        details: { assetId, kind, role },
      },
    );
  }
}

/**
 * Reads a job's Dataset and Model NFTs and checks their kinds. An id nobody minted reads as kind Data with a zero
 * root, so it fails the kind check too. Throws JOB_ASSET_KIND_MISMATCH.
 */
export async function readJobAssets(
  ledger: LedgerClient,
  ids: { datasetId: string; modelId: string },
): Promise<{ dataset: JobAsset; model: JobAsset }> {
  const [dataset, model] = await Promise.all([assetOf(ledger, ids.datasetId), assetOf(ledger, ids.modelId)]);
  checkKind(ids.datasetId, dataset, 'dataset');
  checkKind(ids.modelId, model, 'model');
  return { dataset, model };
}

/** Throws JOB_MODEL_ROOT_MISMATCH unless keccak256(manifest bytes) is the Model NFT's contentRoot. */
export function checkModelManifestRoot(bytes: Uint8Array, contentRoot: Hex, modelId: string): void {
  const root = keccak256(bytes);
  if (root.toLowerCase() !== contentRoot.toLowerCase()) {
    throw new AicError('JOB_MODEL_ROOT_MISMATCH', `model #${modelId}'s manifest bytes do not hash to its contentRoot`, {
      details: { modelId, contentRoot, manifestHash: root },
    });
  }
}

/** Throws JOB_DATASET_MISMATCH unless the dataset manifest commits to the Dataset NFT's contentRoot. */
export function checkDatasetManifestRoot(manifest: JobDatasetManifest, contentRoot: Hex, datasetId: string): void {
  if (manifest.datasetRoot.toLowerCase() !== contentRoot.toLowerCase()) {
    throw new AicError('JOB_DATASET_MISMATCH', `dataset #${datasetId}'s manifest is not the one its NFT commits to`, {
      details: { datasetId, contentRoot, datasetRoot: manifest.datasetRoot },
    });
  }
}

/**
 * Checks a ticket against the job escrowed on chain: the same asset ids, the right kinds, the model bytes'
 * root. Throws JOB_TICKET_ASSET_MISMATCH, JOB_ASSET_KIND_MISMATCH or JOB_MODEL_ROOT_MISMATCH.
 */
export async function checkTicketAssets(
  ledger: LedgerClient,
  ticket: JobTicket,
  job: { datasetId: number | bigint; modelId: number | bigint },
): Promise<{ dataset: JobAsset; model: JobAsset }> {
  if (String(job.datasetId) !== ticket.dataset.assetId || String(job.modelId) !== ticket.model.assetId) {
    throw new AicError('JOB_TICKET_ASSET_MISMATCH', 'the ticket names other assets than the escrowed job', {
      details: {
        ticket: { datasetId: ticket.dataset.assetId, modelId: ticket.model.assetId },
        job: { datasetId: String(job.datasetId), modelId: String(job.modelId) },
      },
    });
  }
  const assets = await readJobAssets(ledger, { datasetId: ticket.dataset.assetId, modelId: ticket.model.assetId });
  checkModelManifestRoot(
    new TextEncoder().encode(ticket.model.manifest),
    assets.model.contentRoot,
    ticket.model.assetId,
  );
  return assets;
}
