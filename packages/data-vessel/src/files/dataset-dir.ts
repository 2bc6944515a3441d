import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { AicError } from '@aic/core';
import { shardRoot } from '../commitments/index.ts';
import type { ImportedDataset } from '../digitize/index.ts';
import { manifestFileBytes, parseDatasetManifest } from '../manifest/index.ts';

const MANIFEST_FILE = 'manifest.json';
const shardFile = (i: number) => `shard-${String(i).padStart(5, '0')}.safetensors`;

/** Writes `manifest.json` and `shard-00000.safetensors`… into `dir` (created if missing). */
export async function writeDatasetDir(dir: string, dataset: ImportedDataset): Promise<void> {
  await mkdir(dir, { recursive: true });
  for (const [i, bytes] of dataset.shards.entries()) await writeFile(join(dir, shardFile(i)), bytes);
  // The exact bytes whose CID datasetPublication computes, so the file on disk is the content-addressed one.
  await writeFile(join(dir, MANIFEST_FILE), manifestFileBytes(dataset.manifest));
}

/**
 * Reads a dataset folder back, validating the manifest and checking every shard against its committed root.
 * Throws DATA_MANIFEST_INVALID, DATA_SOURCE_UNREADABLE or DATA_SHARD_ROOT_MISMATCH.
 */
export async function readDatasetDir(dir: string): Promise<ImportedDataset> {
  let text: string;
  try {
    text = await readFile(join(dir, MANIFEST_FILE), 'utf8');
  } catch (cause) {
    throw new AicError('DATA_SOURCE_UNREADABLE', `no readable ${MANIFEST_FILE} in ${dir}`, { cause, details: { dir } });
  }
  const manifest = parseDatasetManifest(text);
  const shards: Uint8Array[] = [];
  for (const [i, entry] of manifest.shards.entries()) {
    const bytes = await readFile(join(dir, shardFile(i))).catch((cause: unknown) => {
      throw new AicError('DATA_SOURCE_UNREADABLE', `cannot read ${shardFile(i)}`, {
        cause,
        details: { dir, shard: i },
      });
    });
    if (shardRoot(bytes) !== entry.root) {
      throw new AicError('DATA_SHARD_ROOT_MISMATCH', `${shardFile(i)} does not match its committed root`, {
        details: { shard: i },
      });
    }
    shards.push(new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.length));
  }
  return { manifest, shards };
}
