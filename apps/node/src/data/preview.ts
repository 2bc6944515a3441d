/**
 * The dataset preview a node serves for a dataset it published (`GET /v1/datasets/preview`, issue 14). Which rows
 * are shown is not the node's choice: the seed is keccak256(datasetRoot ‖ hash of the block after the NFT's mint),
 * fixed for the dataset's lifetime, so every caller gets the same k rows and repeated calls reveal nothing more
 * (the release rule keeps the rest of a job-only dataset inside compute jobs). Revealing those k rows at all is the
 * owner's choice made by publishing on PLAZA: a replica's holder (role `replica`) serves no preview.
 *
 * The node decrypts the shards it holds sealed (the leaves of the commitments are plaintext chunks) to build the
 * proofs, once per dataset: the preview is cached in memory.
 */
import { AicError } from '@aic/core';
import {
  createPreview,
  DEFAULT_PREVIEW_ROWS,
  decryptShard,
  parseDatasetManifest,
  previewSeed,
  previewToJson,
} from '@aic/data-vessel';
import { bytesToHex } from 'viem';
import type { NodeLedger } from '../ledger-port.ts';
import type { DataService } from './data-service.ts';
import type { DatasetPreviewResponse } from './preview-schemas.ts';

type PreviewData = Pick<DataService, 'datasets' | 'datasetKey' | 'store'>;

function notHeld(datasetId: string, why: string): never {
  throw new AicError('DATASET_PREVIEW_NOT_HELD', `no preview of dataset #${datasetId} here: ${why}`, {
    details: { datasetId },
  });
}

/** The preview handler over the node's data role and its chain reads; previews are cached per dataset. */
export function createDatasetPreviews(data: PreviewData | undefined, ledger: NodeLedger | undefined) {
  const cache = new Map<string, Promise<DatasetPreviewResponse>>();
  const build = async (datasetId: string): Promise<DatasetPreviewResponse> => {
    const entry = data?.datasets().find((d) => d.datasetId === datasetId);
    if (data === undefined || entry === undefined) notHeld(datasetId, 'this node did not publish it');
    if (entry.role !== 'owner') notHeld(datasetId, "this node holds a replica; only the owner's node shows a preview");
    if (ledger?.datasetAnchor === undefined) {
      throw new AicError('LEDGER_UNAVAILABLE', 'no chain configured: start the node with --rpc-url and --deployment');
    }
    const anchor = await ledger.datasetAnchor(BigInt(datasetId));
    if (anchor === undefined) notHeld(datasetId, 'no such asset on chain');
    if (anchor.contentRoot.toLowerCase() !== entry.datasetRoot) {
      throw new AicError('DATASET_ROOT_MISMATCH', `dataset #${datasetId}'s on-chain root is not the one held here`, {
        details: { datasetId, onChain: anchor.contentRoot, held: entry.datasetRoot },
      });
    }
    if (anchor.blockHash === undefined) {
      throw new AicError(
        'DATASET_PREVIEW_NOT_READY',
        `the preview's seed block ${anchor.seedBlock} (after the mint) is not mined yet; ask again after the next block`,
        { details: { datasetId, seedBlock: anchor.seedBlock.toString() } },
      );
    }
    const key = data.datasetKey(datasetId);
    const manifestBytes = await data.store.get(entry.manifestCid);
    if (key === undefined || manifestBytes === undefined) notHeld(datasetId, 'its key or manifest is missing here');
    const manifest = parseDatasetManifest(new TextDecoder().decode(manifestBytes));
    const root = entry.datasetRoot as `0x${string}`;
    const shards = await Promise.all(
      entry.chunkCids.map(async (cids, shardIndex) => {
        const sealed = await Promise.all(cids.map((cid) => data.store.get(cid)));
        if (sealed.some((chunk) => chunk === undefined)) notHeld(datasetId, 'a chunk is missing from the store');
        return decryptShard(key.key, root, shardIndex, sealed as Uint8Array[]);
      }),
    );
    const k = Math.min(DEFAULT_PREVIEW_ROWS, manifest.rows);
    const preview = previewToJson(createPreview({ manifest, shards }, anchor.blockHash, k));
    return {
      datasetId,
      mintBlock: anchor.mintBlock.toString(),
      seedBlock: anchor.seedBlock.toString(),
      seed: bytesToHex(previewSeed(root, anchor.blockHash)),
      k,
      ...preview,
      features: {
        dtype: manifest.features.dtype,
        ...(manifest.features.names === undefined ? {} : { names: manifest.features.names }),
      },
      labels: { dtype: manifest.labels.dtype },
      ...(manifest.classes === undefined ? {} : { classes: manifest.classes }),
    };
  };
  return {
    async preview(datasetId: string): Promise<DatasetPreviewResponse> {
      let pending = cache.get(datasetId);
      if (pending === undefined) {
        pending = build(datasetId);
        cache.set(datasetId, pending);
        // A refusal (not ready yet, chain down) is not cached: the next call tries again.
        pending.catch(() => cache.delete(datasetId));
      }
      return await pending;
    },
  };
}
