import { AicError } from '@aic/core';
import { datasetRoot, type ShardCommitment, shardRoot } from '../commitments/index.ts';
import { CHUNK_SIZE_BYTES, TARGET_SHARD_BYTES } from '../limits.ts';
import {
  type DatasetManifest,
  type Normalization,
  type Preprocessing,
  parseDatasetManifest,
  type SourceKind,
} from '../manifest/index.ts';
import { writeShardFile } from './shard-file.ts';
import { seededPermutation } from './shuffle.ts';

/** Digitized rows: row-major features and labels, `rows` rows of the given per-row shapes. */
export interface DigitizedRows {
  readonly rows: number;
  readonly features: Float32Array | Int32Array;
  readonly featureShape: readonly number[];
  readonly labels: Int32Array | Float32Array;
  readonly labelShape: readonly number[];
}

/** What the importer knows about the dataset beyond its numbers. */
export interface DatasetDescription {
  readonly name: string;
  readonly description?: string;
  readonly sourceKind: SourceKind;
  readonly task: 'classification' | 'regression';
  readonly classes?: readonly string[];
  readonly featureNames?: readonly string[];
  readonly normalization: Normalization;
  readonly preprocessing: Preprocessing;
}

/** Owner choices: license, price, split and sharding. */
export interface PublishOptions {
  readonly license: string;
  readonly pricePerUseWei: bigint;
  /** Share of rows in the test split (default 0.2). */
  readonly testFraction?: number;
  /** Seed of the row shuffle before the split (default 1). */
  readonly shuffleSeed?: number;
  /** Rows per shard (default: as many as fit in TARGET_SHARD_BYTES). */
  readonly rowsPerShard?: number;
}

/** An imported dataset: the manifest and the safetensors shard files it describes. Nothing raw is inside. */
export interface ImportedDataset {
  readonly manifest: DatasetManifest;
  readonly shards: readonly Uint8Array[];
}

const perRow = (shape: readonly number[]) => shape.reduce((a, d) => a * d, 1);

function permuteRows<T extends Float32Array | Int32Array>(values: T, width: number, order: Uint32Array): T {
  const out = new (values.constructor as new (n: number) => T)(values.length);
  for (const [to, from] of order.entries()) out.set(values.subarray(from * width, (from + 1) * width), to * width);
  return out;
}

function checkOptions(options: PublishOptions): void {
  const { testFraction = 0.2, shuffleSeed = 1, rowsPerShard = 1 } = options;
  const ok =
    testFraction >= 0 &&
    testFraction <= 1 &&
    Number.isSafeInteger(shuffleSeed) &&
    shuffleSeed >= 0 &&
    Number.isSafeInteger(rowsPerShard) &&
    rowsPerShard >= 1 &&
    options.pricePerUseWei >= 0n;
  if (!ok) {
    throw new AicError(
      'DATA_IMPORT_OPTIONS_INVALID',
      'testFraction ∈ [0, 1], integer shuffleSeed ≥ 0 and rowsPerShard ≥ 1, price ≥ 0',
      {
        details: { testFraction, shuffleSeed, rowsPerShard },
      },
    );
  }
}

function checkRows(rows: DigitizedRows): void {
  if (rows.rows < 1) throw new AicError('DATA_IMPORT_EMPTY', 'the source has no rows');
  const fw = perRow(rows.featureShape);
  const lw = perRow(rows.labelShape);
  if (rows.features.length !== rows.rows * fw || rows.labels.length !== rows.rows * lw) {
    throw new AicError('DATA_IMPORT_SHAPE_MISMATCH', 'features or labels do not match rows × shape', {
      details: { rows: rows.rows, features: rows.features.length, labels: rows.labels.length },
    });
  }
}

/**
 * Shuffles rows with a seed, splits train/test, cuts safetensors shards (`features`, `labels`), commits every shard
 * (chunk Merkle root) and the dataset (root over shards) and returns the manifest with the shard files.
 *
 * @example
 * const { manifest, shards } = buildDataset(rows, description, { license: 'CC-BY-4.0', pricePerUseWei: 10n ** 18n });
 */
export function buildDataset(rows: DigitizedRows, about: DatasetDescription, options: PublishOptions): ImportedDataset {
  checkOptions(options);
  checkRows(rows);
  const fw = perRow(rows.featureShape);
  const lw = perRow(rows.labelShape);
  const shuffleSeed = options.shuffleSeed ?? 1;
  const order = seededPermutation(rows.rows, shuffleSeed);
  const features = permuteRows(rows.features, fw, order);
  const labels = permuteRows(rows.labels, lw, order);
  const rowsPerShard = Math.max(1, options.rowsPerShard ?? Math.floor(TARGET_SHARD_BYTES / (4 * (fw + lw))));
  const shards: Uint8Array[] = [];
  const entries: (ShardCommitment & { cid: string })[] = [];
  for (let start = 0; start < rows.rows; start += rowsPerShard) {
    const n = Math.min(rowsPerShard, rows.rows - start);
    const file = writeShardFile(
      n,
      { values: features.subarray(start * fw, (start + n) * fw), rowShape: rows.featureShape },
      { values: labels.subarray(start * lw, (start + n) * lw), rowShape: rows.labelShape },
    );
    shards.push(file.bytes);
    entries.push({
      cid: file.cid,
      rows: n,
      byteLength: file.bytes.length,
      root: shardRoot(file.bytes),
      layout: file.layout,
    });
  }
  const testRows = Math.round(rows.rows * (options.testFraction ?? 0.2));
  const manifest: DatasetManifest = {
    schema: 'aic-dataset/1',
    name: about.name,
    ...(about.description === undefined ? {} : { description: about.description }),
    sourceKind: about.sourceKind,
    task: about.task,
    features: {
      dtype: rows.features instanceof Float32Array ? 'F32' : 'I32',
      shape: [...rows.featureShape],
      ...(about.featureNames === undefined ? {} : { names: [...about.featureNames] }),
    },
    labels: { dtype: rows.labels instanceof Float32Array ? 'F32' : 'I32', shape: [...rows.labelShape] },
    ...(about.classes === undefined ? {} : { classes: [...about.classes] }),
    normalization: about.normalization,
    preprocessing: about.preprocessing,
    rows: rows.rows,
    split: { trainRows: rows.rows - testRows, testRows, shuffleSeed },
    chunkSizeBytes: CHUNK_SIZE_BYTES,
    shards: entries,
    datasetRoot: datasetRoot(entries),
    license: options.license,
    pricePerUseWei: options.pricePerUseWei.toString(),
  };
  // Validate what we wrote, so an importer never hands out a manifest others would reject (bad name, empty class…).
  return { manifest: parseDatasetManifest(manifest), shards };
}
