/** What a storage node and a data owner check about a dataset against its Dataset NFT before storing or placing it. */
import { AicError } from '@aic/core';
import { type DatasetManifest, parseDatasetManifest, rawCid } from '@aic/data-vessel';
import { AssetKind, type LedgerClient } from '@aic/ledger';

/**
 * Parses `manifestBytes` and checks them against Dataset NFT `datasetId`: its kind, its manifestCid (the CID of these
 * exact bytes) and its contentRoot (the manifest's dataset root). Throws STORAGE_MANIFEST_MISMATCH otherwise.
 */
export async function checkedManifest(
  ledger: LedgerClient,
  datasetId: bigint,
  manifestBytes: Uint8Array,
): Promise<DatasetManifest> {
  const asset = await ledger.registry.read.assetOf([datasetId]);
  if (asset.kind !== AssetKind.Dataset) {
    throw new AicError('STORAGE_MANIFEST_MISMATCH', `asset ${datasetId} is not a Dataset NFT`);
  }
  if (rawCid(manifestBytes) !== asset.manifestCid) {
    throw new AicError('STORAGE_MANIFEST_MISMATCH', `the manifest is not the one Dataset NFT ${datasetId} names`);
  }
  const manifest = parseDatasetManifest(new TextDecoder().decode(manifestBytes));
  if (manifest.datasetRoot.toLowerCase() !== asset.contentRoot.toLowerCase()) {
    throw new AicError(
      'STORAGE_MANIFEST_MISMATCH',
      `the manifest's root is not Dataset NFT ${datasetId}'s content root`,
    );
  }
  return manifest;
}
