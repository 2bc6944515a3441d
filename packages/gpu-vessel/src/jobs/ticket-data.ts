/**
 * A ticket's training data: the published dataset it names, materialized by the node's data role (`JobAssetPort`)
 * into the job's sandbox dir after the chain checks (asset kinds, the model bytes' root, the dataset manifest's root,
 * the dataset fits the model). Templates are published assets too, so this is the only way data reaches a job. The provider hands the shard files to its worker; the verifier and
 * the arbiter load them in process for their re-runs.
 */

import { rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AicError } from '@aic/core';
import type { LedgerClient } from '@aic/ledger';
import { type DatasetShape, type ResolvedJobShape, resolveJobShape, type TensorDataset } from '@aic/model-vessel';
import type { AgentLogger } from '../agent/context.ts';
import { loadShardDataset } from '../worker/dataset-source.ts';
import type { JobAssetPort, JobDatasetManifest } from './asset-port.ts';
import { checkDatasetManifestRoot, checkTicketAssets } from './job-assets.ts';
import type { JobTicket } from './job-ticket.ts';

/** The dataset's shape as its manifest states it (train split only), for resolving a job without the data. */
export function datasetShapeOf(manifest: JobDatasetManifest): DatasetShape {
  return {
    featureShape: manifest.features.shape,
    labelShape: manifest.labels.shape,
    count: manifest.split.trainRows,
    task: manifest.task,
    ...(manifest.classes ? { classCount: manifest.classes.length } : {}),
  };
}

/** Where a role without its own folder materializes a job's data: a per-account, per-job folder under tmp. */
export const defaultJobDataDir = (account: string, jobId: bigint) =>
  join(tmpdir(), 'aic-job-data', account.toLowerCase(), String(jobId));

export interface TicketDataInit {
  ledger: LedgerClient;
  assets?: JobAssetPort | undefined;
  job: { datasetId: number | bigint; modelId: number | bigint };
  jobId: bigint;
  /** The job's sandbox dir (plaintext shards land here). */
  dir: string;
  signal?: AbortSignal | undefined;
  /** Where the fetch report goes (what moved, from whom, what was checked): `npm start` prints it. */
  log?: Pick<AgentLogger, 'info'> | undefined;
}

/** What a role trains or re-runs on: the dataset's plaintext shard files with the train rows. */
export type TicketData = { shards: string[]; rows: number };

function portOf(assets: JobAssetPort | undefined): JobAssetPort {
  if (!assets) {
    throw new AicError('JOB_ASSETS_UNAVAILABLE', 'this node has no data role: it cannot run jobs on published assets');
  }
  return assets;
}

/**
 * Checks a ticket's assets against the chain and resolves the job from the dataset manifest's shape (so a
 * dataset that does not fit the model is refused before any data moves). Throws JOB_TICKET_ASSET_MISMATCH,
 * JOB_ASSET_KIND_MISMATCH, JOB_MODEL_ROOT_MISMATCH, JOB_DATASET_MISMATCH, JOB_SCHEMA_MISMATCH, JOB_ASSETS_UNAVAILABLE.
 */
export async function checkAssetTicket(
  init: Omit<TicketDataInit, 'dir' | 'jobId'>,
  ticket: JobTicket,
): Promise<{ manifest: JobDatasetManifest; resolved: ResolvedJobShape }> {
  const assets = portOf(init.assets);
  const chain = await checkTicketAssets(init.ledger, ticket, init.job);
  const manifest = await assets.datasetManifest(ticket.dataset.assetId, init.signal);
  checkDatasetManifestRoot(manifest, chain.dataset.contentRoot, ticket.dataset.assetId);
  return { manifest, resolved: resolveJobShape(ticket.spec, datasetShapeOf(manifest)) };
}

/**
 * Materializes a ticket's data for training: shard files in `dir` after the checks of {@link checkAssetTicket};
 * `totalSteps` is the job's step count (from the manifest's shape).
 */
export async function materializeTicketData(
  init: TicketDataInit,
  ticket: JobTicket,
): Promise<{ source: TicketData; totalSteps: number }> {
  const { manifest, resolved } = await checkAssetTicket(init, ticket);
  const materialized = await portOf(init.assets).materializeDataset({
    datasetId: ticket.dataset.assetId,
    jobId: init.jobId,
    dir: init.dir,
    ...(init.signal ? { signal: init.signal } : {}),
  });
  init.log?.info(
    {
      // First: the devnet's activity line shows the first three fields (who the bytes came from matters most).
      from: materialized.fromCache
        ? 'cache'
        : materialized.holders.map((p) => `${p.slice(0, 12)}…${p.slice(-6)}`).join(' '),
      jobId: String(init.jobId),
      datasetId: ticket.dataset.assetId,
      bytesFetched: materialized.bytesFetched,
    },
    materialized.fromCache
      ? `dataset #${ticket.dataset.assetId}: all ${materialized.files.length} shards from the verified cache, 0 bytes fetched`
      : `dataset #${ticket.dataset.assetId}: ${(materialized.bytesFetched / 1e6).toFixed(2)} MB fetched from ${materialized.holders.length} holder(s); every chunk opened with AES-GCM under the released key, ${materialized.files.length} shard Merkle roots and the dataset root checked against the NFT's content root`,
  );
  if (materialized.trainRows !== manifest.split.trainRows || materialized.files.length === 0) {
    throw new AicError('JOB_DATASET_MISMATCH', "the materialized dataset is not the manifest's training split", {
      details: { trainRows: materialized.trainRows, manifestTrainRows: manifest.split.trainRows },
    });
  }
  return { source: { shards: materialized.files, rows: materialized.trainRows }, totalSteps: resolved.totalSteps };
}

/**
 * A ticket's training data in memory (the verifier's and the arbiter's re-runs): the published dataset's shards (the
 * port checked every chunk against the on-chain root).
 */
export async function loadTicketDataset(init: TicketDataInit, ticket: JobTicket): Promise<TensorDataset> {
  const { source } = await materializeTicketData(init, ticket);
  return await loadShardDataset(source.shards, source.rows);
}

/** Removes a job's plaintext once its run is over (the port keeps its own verified cache). */
export async function removeJobData(dir: string): Promise<void> {
  await rm(dir, { recursive: true, force: true });
}
