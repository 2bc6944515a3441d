import { AicError } from '@aic/core';
import { chunkCount, type Hex } from '../commitments/index.ts';
import type { ContentStore } from '../content/content-store.ts';
import { encryptShard, generateDatasetKey } from '../crypto/index.ts';
import type { ImportedDataset } from '../digitize/index.ts';
import { readDatasetDir } from '../files/index.ts';
import { type DatasetManifest, manifestFileBytes } from '../manifest/index.ts';

/** Where a held dataset's parts live in a ContentStore: the manifest and every sealed chunk, by CID. */
export interface StoredDataset {
  readonly manifest: DatasetManifest;
  readonly manifestCid: string;
  readonly datasetRoot: Hex;
  /** CIDs of the sealed chunks, per shard in manifest order, per chunk in order. */
  readonly chunkCids: string[][];
  /** Sealed bytes stored (chunks only; the manifest is public and small). */
  readonly bytes: number;
  readonly chunks: number;
}

/** A dataset just encrypted into a store, with the fresh key that opens it (the caller keeps it safe). */
export interface PublishedDatasetContent extends StoredDataset {
  readonly key: Uint8Array;
}

/**
 * Encrypts a dataset's shards chunk by chunk under `key` (AES-256-GCM, the committed 256 KiB chunks) and stores
 * the sealed chunks and the exact manifest bytes (whose CID is the Dataset NFT's manifestCid) in `store`. Only
 * ciphertext and the public manifest enter the store.
 *
 * @example
 * const held = await storeDataset(store, await readDatasetDir(dir), generateDatasetKey());
 */
export async function storeDataset(
  store: ContentStore,
  dataset: ImportedDataset,
  key: Uint8Array,
): Promise<StoredDataset> {
  const { manifest } = dataset;
  const datasetRoot = manifest.datasetRoot as Hex;
  const chunkCids: string[][] = [];
  let bytes = 0;
  let chunks = 0;
  for (const [shardIndex, shard] of dataset.shards.entries()) {
    const cids: string[] = [];
    for (const sealed of encryptShard(key, datasetRoot, shardIndex, shard)) {
      cids.push(await store.put(sealed));
      bytes += sealed.length;
      chunks++;
    }
    chunkCids.push(cids);
  }
  const manifestCid = await store.put(manifestFileBytes(manifest));
  return { manifest, manifestCid, datasetRoot, chunkCids, bytes, chunks };
}

/**
 * Reads a dataset folder made by `aic data import` (every shard checked against its root) and stores it encrypted
 * under a fresh key. Throws what readDatasetDir throws (DATA_SOURCE_UNREADABLE, DATA_MANIFEST_INVALID,
 * DATA_SHARD_ROOT_MISMATCH).
 */
export async function publishDatasetDir(store: ContentStore, dir: string): Promise<PublishedDatasetContent> {
  const dataset = await readDatasetDir(dir);
  const key = generateDatasetKey();
  return { ...(await storeDataset(store, dataset, key)), key };
}

/** The sealed chunk CIDs of a stored dataset must match its manifest's shape (a book read back from disk). */
export function checkChunkCids(manifest: DatasetManifest, chunkCids: readonly (readonly string[])[]): void {
  const expected = manifest.shards.map((s) => chunkCount(s.byteLength, manifest.chunkSizeBytes));
  const ok = chunkCids.length === expected.length && expected.every((n, i) => chunkCids[i]?.length === n);
  if (!ok) throw new AicError('DATA_HOLDING_INVALID', 'the chunk list does not match the manifest');
}
