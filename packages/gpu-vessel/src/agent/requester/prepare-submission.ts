/**
 * What a submission trains, resolved before any AIC moves: a Dataset NFT and a Model NFT by id (issue 12: one path,
 * no template source). The requester reads both NFTs from the chain (kinds), gets the model manifest's exact bytes from the node's data role and checks they
 * hash to the Model NFT's contentRoot, gets the dataset's public manifest (its root checked against the Dataset
 * NFT's), and resolves the job from the manifest's shapes, train rows and classes without the data — so a dataset
 * that does not fit the model is refused at quote time (JOB_SCHEMA_MISMATCH).
 */
import { AicError } from '@aic/core';
import { resolveJobShape } from '@aic/model-vessel';
import { checkDatasetManifestRoot, checkModelManifestRoot, readJobAssets } from '../../jobs/job-assets.ts';
import type { AssetTicketInput } from '../../jobs/job-ticket.ts';
import { datasetShapeOf } from '../../jobs/ticket-data.ts';
import type { AgentContext } from '../context.ts';
import type { JobSubmission } from './types.ts';

/** The ticket's content but its nonce and hardware (always v2: the requester names assets by id). */
export type TicketTerms = Omit<AssetTicketInput, 'nonce' | 'hardware'>;

export interface PreparedSubmission {
  totalSteps: number;
  commitEverySteps: number;
  terms: TicketTerms;
}

/** The manifest bytes as the text the ticket carries; bytes that are not UTF-8 could not round-trip. */
function manifestText(bytes: Uint8Array, modelId: string): string {
  try {
    return new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(bytes);
  } catch (cause) {
    throw new AicError('JOB_MODEL_MANIFEST_INVALID', `model #${modelId}'s manifest is not UTF-8 text`, {
      cause,
      details: { modelId },
    });
  }
}

function manifestJson(text: string, modelId: string): unknown {
  try {
    return JSON.parse(text);
  } catch (cause) {
    throw new AicError('JOB_MODEL_MANIFEST_INVALID', `model #${modelId}'s manifest is not JSON`, {
      cause,
      details: { modelId },
    });
  }
}

async function prepareAssetSubmission(ctx: AgentContext, input: JobSubmission): Promise<PreparedSubmission> {
  const ids = { datasetId: String(input.datasetId), modelId: String(input.modelId) };
  // The chain's facts first: a wrong kind is the caller's mistake whatever this node can fetch.
  const chain = await readJobAssets(ctx.ledger, ids);
  const assets = ctx.assets;
  if (!assets) {
    throw new AicError(
      'JOB_ASSETS_UNAVAILABLE',
      'this node has no data role: it cannot submit jobs on published assets',
    );
  }
  const bytes = await assets.modelManifest(ids.modelId);
  checkModelManifestRoot(bytes, chain.model.contentRoot, ids.modelId);
  const text = manifestText(bytes, ids.modelId);
  const manifest = manifestJson(text, ids.modelId);
  const datasetManifest = await assets.datasetManifest(ids.datasetId);
  checkDatasetManifestRoot(datasetManifest, chain.dataset.contentRoot, ids.datasetId);
  const { manifest: _ignored, ...spec } = input.spec;
  const resolved = resolveJobShape({ ...spec, manifest }, datasetShapeOf(datasetManifest));
  return {
    totalSteps: resolved.totalSteps,
    commitEverySteps: resolved.commitEverySteps,
    terms: { spec, dataset: { assetId: ids.datasetId }, model: { assetId: ids.modelId, manifest: text } },
  };
}

/** Resolves a submission by its asset ids. Throws the chain, manifest and schema errors listed above. */
export async function prepareSubmission(ctx: AgentContext, input: JobSubmission): Promise<PreparedSubmission> {
  return await prepareAssetSubmission(ctx, input);
}
