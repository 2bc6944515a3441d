/** The dataset endpoints (`POST /v1/datasets/publish`, `GET /v1/datasets`) over the node's DataService. */
import { AicError, aicToWei, isAicError } from '@aic/core';
import type { ApiHandlers } from '../api/routes.ts';
import type { DataService } from './data-service.ts';
import { licenseAllowsDownload } from './release-rule.ts';

type DataHandlers = Pick<ApiHandlers, 'publishDataset' | 'listDatasets' | 'datasetManifest' | 'fetchDataset'>;

/** Codes of reading a dataset dir (the Data Vessel's): the caller named a folder that is not a valid dataset. */
const DIR_FAULTS = new Set([
  'DATA_SOURCE_UNREADABLE',
  'DATA_MANIFEST_INVALID',
  'DATA_MANIFEST_TOO_LARGE',
  'DATA_SHARD_ROOT_MISMATCH',
  'DATA_SHARD_INVALID',
]);

/** A Data Vessel failure of a fetch as the node's own code (the holder's or the Vessel's code in details). */
function fetchFailure(error: unknown): unknown {
  if (!isAicError(error) || !error.code.startsWith('DATA_')) return error;
  if (error.code === 'DATA_KEY_REFUSED') {
    const code = typeof error.details.code === 'string' ? error.details.code : 'UNKNOWN';
    return new AicError('DATASET_KEY_REFUSED', `no holder released the key: ${code}`, {
      cause: error,
      details: { code },
    });
  }
  return new AicError('DATASET_FETCH_FAILED', error.message, { cause: error, details: { code: error.code } });
}

function assetsOf(data: DataService | undefined) {
  if (data?.assets === undefined) {
    throw new AicError('LEDGER_UNAVAILABLE', 'no chain configured: start the node with --rpc-url and --deployment');
  }
  return data.assets;
}

export function createDataHandlers(data: DataService | undefined): DataHandlers {
  return {
    datasetManifest: async ({ query }) => {
      const { manifest, manifestCid } = await assetsOf(data)
        .resolveDataset(query.datasetId)
        .catch((error: unknown) => {
          throw fetchFailure(error);
        });
      const holders = data?.holdings.holdersOf('dataset', query.datasetId) ?? [];
      return {
        datasetId: query.datasetId,
        manifestCid,
        datasetRoot: manifest.datasetRoot,
        manifest: manifest as unknown as Record<string, unknown>,
        holders: holders.map((h) => ({ peerId: h.peerId, role: h.role, bytes: h.bytes })),
      };
    },
    fetchDataset: async ({ body }) => {
      // jobId 0: a direct download, released only to a usage-right holder when the licence allows it.
      const fetched = await assetsOf(data)
        .materializeDataset({ datasetId: body.datasetId, jobId: 0n, dir: body.dir })
        .catch((error: unknown) => {
          throw fetchFailure(error);
        });
      return { datasetId: body.datasetId, ...fetched };
    },
    publishDataset: async ({ body }) => {
      if (data === undefined) throw new AicError('NODE_NOT_STARTED', 'the data role is not running');
      return await data
        .publishDataset({ dir: body.dir, pricePerUseWei: aicToWei(body.pricePerUseAic), license: body.license })
        .catch((error: unknown) => {
          if (isAicError(error) && DIR_FAULTS.has(error.code)) {
            // The node's own code (422) with the Data Vessel's in details: the folder, not the node, is at fault.
            throw new AicError('DATASET_DIR_INVALID', `not a dataset dir made by aic data import: ${error.message}`, {
              cause: error,
              details: { code: error.code },
            });
          }
          throw error;
        });
    },
    listDatasets: async () => ({
      datasets: (data?.datasets() ?? []).map((d) => ({
        datasetId: d.datasetId,
        name: d.name,
        datasetRoot: d.datasetRoot,
        manifestCid: d.manifestCid,
        bytes: d.bytes,
        chunks: d.chunks,
        rows: d.rows,
        role: d.role,
        license: licenseAllowsDownload(d.licenseId) ? ('download' as const) : ('job-only' as const),
        pricePerUseWei: d.pricePerUseWei,
        publishedAt: new Date(d.publishedAtMs).toISOString(),
      })),
    }),
  };
}
