import { z } from 'zod';
import { CHUNK_SIZE_BYTES, MAX_SHARDS } from '../limits.ts';

/** The raw kinds the digitization importers accept. */
export const SOURCE_KINDS = ['tabular-csv', 'image-folder', 'text-jsonl', 'text-pair-jsonl', 'audio-wav'] as const;
export type SourceKind = (typeof SOURCE_KINDS)[number];

const HEX_32 = /^0x[0-9a-f]{64}$/;
const hex32 = z.custom<`0x${string}`>(
  (v) => typeof v === 'string' && HEX_32.test(v),
  'must be 0x followed by 64 lower-case hex digits',
);
const cidString = z.string().regex(/^b[a-z2-7]{20,120}$/, 'must be a base32 CIDv1 string');
const decimalWei = z.string().regex(/^(0|[1-9][0-9]{0,77})$/, 'must be a decimal integer amount in wei');
const count = z.number().int().nonnegative().max(Number.MAX_SAFE_INTEGER);
const dim = z.number().int().positive().max(1_048_576);
const shortName = z.string().min(1).max(200);

/** One tensor column of every row: dtype and per-row shape (without the row dimension). */
const tensorSchema = z.strictObject({
  dtype: z.enum(['F32', 'I32']),
  shape: z.array(dim).max(8),
  /** Names of the last axis' entries (tabular feature columns after one-hot expansion). */
  names: z.array(shortName).max(100_000).optional(),
});

const normalizationSchema = z.discriminatedUnion('kind', [
  /** Values were stored as (x − mean) / std along the last feature axis; one entry means one global mean/std. */
  z.strictObject({
    kind: z.literal('zscore'),
    mean: z.array(z.number()).min(1),
    std: z.array(z.number().positive()).min(1),
  }),
  /** Values were stored as x × factor (8-bit pixels × 1/255 → [0, 1]). */
  z.strictObject({ kind: z.literal('scale'), factor: z.number().positive() }),
  z.strictObject({ kind: z.literal('none') }),
]);

const preprocessingSchema = z.discriminatedUnion('kind', [
  z.strictObject({
    kind: z.literal('tabular'),
    labelColumn: shortName,
    numericColumns: z.array(shortName),
    /** Categorical columns with their categories in one-hot order. */
    categoricalColumns: z.array(z.strictObject({ name: shortName, categories: z.array(shortName).min(1) })),
  }),
  z.strictObject({
    kind: z.literal('image'),
    width: dim,
    height: dim,
    channels: z.union([z.literal(1), z.literal(3)]),
    resize: z.literal('bilinear'),
  }),
  z.strictObject({
    kind: z.literal('text'),
    tokenizer: z.literal('lowercase-words/1'),
    maxTokens: dim,
    /** Token id = index. 0 is padding, 1 unknown, 2 the separator between the two texts of a pair. */
    vocabulary: z.array(z.string().max(200)).min(3),
  }),
  z.strictObject({
    kind: z.literal('audio'),
    sampleRateHz: dim,
    clipSamples: dim,
    frameSamples: dim,
    hopSamples: dim,
    melBins: dim,
  }),
]);

const shardSchema = z.strictObject({
  /** CIDv1 (raw codec, sha2-256) of the whole safetensors shard file. */
  cid: cidString,
  rows: count,
  byteLength: count,
  /** Merkle root over the shard's chunk leaves. */
  root: hex32,
  layout: z.strictObject({
    featuresOffset: count,
    featureRowBytes: count,
    labelsOffset: count,
    labelRowBytes: count,
  }),
});

/** The dataset manifest (`aic-dataset/1`): what a buyer, a worker and a verifier need to know about a dataset. */
export const datasetManifestSchema = z.strictObject({
  schema: z.literal('aic-dataset/1'),
  name: z.string().regex(/^[a-z0-9][a-z0-9-]{0,63}$/, 'lower-case letters, digits and dashes'),
  description: z.string().max(2000).optional(),
  sourceKind: z.enum(SOURCE_KINDS),
  task: z.enum(['classification', 'regression']),
  features: tensorSchema,
  labels: tensorSchema,
  /** Class names, index = label id (classification). */
  classes: z.array(shortName).max(100_000).optional(),
  normalization: normalizationSchema,
  preprocessing: preprocessingSchema,
  rows: count,
  /** Rows [0, trainRows) are the training split, [trainRows, rows) the test split (rows were shuffled first). */
  split: z.strictObject({ trainRows: count, testRows: count, shuffleSeed: count }),
  chunkSizeBytes: z.literal(CHUNK_SIZE_BYTES),
  shards: z.array(shardSchema).min(1).max(MAX_SHARDS),
  datasetRoot: hex32,
  license: z.string().min(1).max(200),
  pricePerUseWei: decimalWei,
});

export type DatasetManifest = z.infer<typeof datasetManifestSchema>;
export type ShardEntry = DatasetManifest['shards'][number];
export type Normalization = DatasetManifest['normalization'];
export type Preprocessing = DatasetManifest['preprocessing'];
