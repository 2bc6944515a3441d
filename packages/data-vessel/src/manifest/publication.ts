import { AicError } from '@aic/core';
import { rawCid } from '../digitize/cid.ts';
import type { DatasetManifest } from './schema.ts';

const UINT96_MAX = (1n << 96n) - 1n;

/** What publishing a dataset puts on chain and in storage. */
export interface DatasetPublication {
  /** The manifest file exactly as stored (UTF-8 JSON); its CID is the NFT's `manifestCid`. */
  readonly manifestBytes: Uint8Array;
  readonly manifestCid: string;
  /** The dataset root: the AssetRegistry `contentRoot`. */
  readonly contentRoot: `0x${string}`;
  /** The per-use price, checked to fit the registry's uint96. */
  readonly pricePerUseWei: bigint;
}

/** The manifest file's bytes: pretty JSON in the builder's key order, UTF-8, final newline. */
export function manifestFileBytes(manifest: DatasetManifest): Uint8Array {
  return new TextEncoder().encode(`${JSON.stringify(manifest, null, 2)}\n`);
}

/**
 * The values an AssetRegistry mint of kind Dataset needs: manifest bytes and CID, content root, price.
 * Throws DATA_PRICE_TOO_LARGE when the price does not fit in uint96.
 *
 * @example
 * const { manifestCid, contentRoot, pricePerUseWei } = datasetPublication(dataset.manifest);
 */
export function datasetPublication(manifest: DatasetManifest): DatasetPublication {
  const pricePerUseWei = BigInt(manifest.pricePerUseWei);
  if (pricePerUseWei > UINT96_MAX) {
    throw new AicError('DATA_PRICE_TOO_LARGE', 'the price per use must fit in uint96', {
      details: { pricePerUseWei: manifest.pricePerUseWei },
    });
  }
  const manifestBytes = manifestFileBytes(manifest);
  return { manifestBytes, manifestCid: rawCid(manifestBytes), contentRoot: manifest.datasetRoot, pricePerUseWei };
}
