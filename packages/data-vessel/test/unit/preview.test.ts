import { describe, expect, it } from 'vitest';
import {
  buildDataset,
  CHUNK_SIZE_BYTES,
  chunkAt,
  chunkProof,
  createPreview,
  type DatasetPreview,
  type ImportedDataset,
  previewFromJson,
  previewRowValues,
  previewToJson,
  readShard,
  shardChunkLeaves,
  verifyPreview,
} from '../../src/index.ts';
import { tinyDataset } from '../helpers/tiny-dataset.ts';

const blockHash = `0x${'5a'.repeat(32)}` as const;
const laterBlock = `0x${'77'.repeat(32)}` as const;

/** 300 rows of 1,000 F32 features in shards of 120 rows: rows straddle 256 KiB chunk borders. */
function wideDataset(): ImportedDataset {
  const rows = 300;
  const width = 1000;
  const features = Float32Array.from({ length: rows * width }, (_, i) => Math.floor(i / width) + (i % width) / 1000);
  const labels = Int32Array.from({ length: rows }, (_, r) => r % 3);
  return buildDataset(
    { rows, features, featureShape: [width], labels, labelShape: [] },
    {
      name: 'wide',
      sourceKind: 'tabular-csv',
      task: 'classification',
      classes: ['a', 'b', 'c'],
      normalization: { kind: 'none' },
      preprocessing: { kind: 'tabular', labelColumn: 'y', numericColumns: [], categoricalColumns: [] },
    },
    { license: 'CC0-1.0', pricePerUseWei: 0n, rowsPerShard: 120 },
  );
}

const rejected = (reason: string) =>
  expect.objectContaining({ code: 'DATA_PREVIEW_INVALID', details: expect.objectContaining({ reason }) });

describe('verifiable random preview', () => {
  const dataset = wideDataset();
  const { manifest } = dataset;
  const honest = createPreview(dataset, blockHash, 6);

  it('verifies an honest preview and yields the real rows, also across chunk borders', () => {
    expect(manifest.shards[0]!.byteLength).toBeGreaterThan(CHUNK_SIZE_BYTES);
    const rows = verifyPreview(honest, manifest.datasetRoot, blockHash, 6);
    expect(rows).toHaveLength(6);
    expect(honest.rows.some((r) => r.chunks.length > 1)).toBe(true);
    const decoded = dataset.shards.map((s) => readShard(s));
    for (const verified of rows) {
      const { features, labels } = previewRowValues(verified, manifest);
      const shardIndex = Math.floor(verified.row / 120);
      const shard = decoded[shardIndex]!;
      const inShard = verified.row - shardIndex * 120;
      expect(features).toEqual(Array.from(shard.features.subarray(inShard * 1000, inShard * 1000 + 1000)));
      expect(labels).toEqual([shard.labels[inShard]]);
    }
  });

  it('lets the block hash, not the publisher, choose the rows', () => {
    const other = createPreview(dataset, laterBlock, 6);
    expect(other.rows.map((r) => r.row)).not.toEqual(honest.rows.map((r) => r.row));
    expect(new Set(honest.rows.map((r) => r.row)).size).toBe(6);
    expect(() => verifyPreview(honest, manifest.datasetRoot, laterBlock, 6)).toThrow(
      rejected('the rows are not the ones the seed selects'),
    );
  });

  it('catches a publisher that swaps a chosen row for a nicer one, even with valid proofs', () => {
    const swapIn = (honest.rows[0]!.row + 1) % manifest.rows;
    const genuine = createPreview(dataset, blockHash, 6);
    const shardIndex = Math.floor(swapIn / 120);
    const leaves = shardChunkLeaves(dataset.shards[shardIndex]!);
    const swapped: DatasetPreview = {
      ...genuine,
      rows: [
        {
          row: swapIn,
          shardIndex,
          chunks: [{ index: 0, bytes: chunkAt(dataset.shards[shardIndex]!, 0).slice(), proof: chunkProof(leaves, 0) }],
        },
        ...genuine.rows.slice(1),
      ],
    };
    expect(() => verifyPreview(swapped, manifest.datasetRoot, blockHash, 6)).toThrow(
      rejected('the rows are not the ones the seed selects'),
    );
  });

  it('catches a publisher that swaps the bytes of a chosen row', () => {
    const first = honest.rows[0]!;
    const chunk = first.chunks[0]!;
    const bytes = chunk.bytes.slice();
    bytes[bytes.length - 5] = (bytes[bytes.length - 5] as number) ^ 0x40;
    const forged: DatasetPreview = {
      ...honest,
      rows: [{ ...first, chunks: [{ ...chunk, bytes }, ...first.chunks.slice(1)] }, ...honest.rows.slice(1)],
    };
    expect(() => verifyPreview(forged, manifest.datasetRoot, blockHash, 6)).toThrow(
      rejected('a chunk does not match the committed root'),
    );
  });

  it('catches a forged shard table, missing rows and missing chunks', () => {
    const recounted = { ...honest, shards: honest.shards.map((s, i) => (i === 0 ? { ...s, rows: 119 } : s)) };
    expect(() => verifyPreview(recounted, manifest.datasetRoot, blockHash, 6)).toThrow(
      rejected('the shard table does not hash to the dataset root'),
    );
    expect(() => verifyPreview(honest, manifest.datasetRoot, blockHash, 7)).toThrow(rejected('expected 7 rows, got 6'));
    const first = honest.rows[0]!;
    const thin = { ...honest, rows: [{ ...first, chunks: [] }, ...honest.rows.slice(1)] };
    expect(() => verifyPreview(thin, manifest.datasetRoot, blockHash, 6)).toThrow(
      rejected('a row lacks or adds chunks'),
    );
    const junk = { ...honest, shards: [{ root: '0x1' }] } as unknown as DatasetPreview;
    expect(() => verifyPreview(junk, manifest.datasetRoot, blockHash, 6)).toThrow(
      rejected('the shard table is malformed'),
    );
  });

  it('travels as JSON and is bounded at the boundary', () => {
    const json = JSON.parse(JSON.stringify(previewToJson(honest)));
    const back = previewFromJson(json);
    expect(verifyPreview(back, manifest.datasetRoot, blockHash, 6)).toHaveLength(6);
    const malformed = expect.objectContaining({ code: 'DATA_PREVIEW_INVALID' });
    expect(() => previewFromJson({ ...json, rows: [{ ...json.rows[0], chunks: [] }] })).toThrow(malformed);
    expect(() => previewFromJson({ ...json, blockHash: '0x12' })).toThrow(malformed);
    const huge = 'A'.repeat(400_000);
    expect(() =>
      previewFromJson({ ...json, rows: [{ ...json.rows[0], chunks: [{ index: 0, bytes: huge, proof: [] }] }] }),
    ).toThrow(malformed);
    expect(() => previewFromJson('nope')).toThrow(malformed);
  });

  it('shows every row of a dataset smaller than k', () => {
    const small = tinyDataset(5, 2);
    const preview = createPreview(small, blockHash, 8);
    expect(preview.rows.map((r) => r.row).sort()).toEqual([0, 1, 2, 3, 4]);
    expect(verifyPreview(preview, small.manifest.datasetRoot, blockHash, 8)).toHaveLength(5);
    expect(() => createPreview(small, blockHash, 65)).toThrow(
      expect.objectContaining({ code: 'DATA_PREVIEW_TOO_LARGE' }),
    );
  });
});
