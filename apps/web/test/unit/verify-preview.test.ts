/**
 * The browser's preview verifier (apps/web/src/plaza/verify-preview.ts) against previews the Data Vessel builds: an
 * honest one verifies row by row (also rows across 256 KiB chunk borders, decoded to the real values); a tampered
 * proof, chunk, row choice, shard table or root shows "not verified" for what it touches, never a throw.
 */
import { buildDataset, createPreview, type ImportedDataset, previewSeed, previewToJson } from '@aic/data-vessel';
import { describe, expect, it } from 'vitest';
import { bytesToHex, type PreviewResponse, verifyPreviewInBrowser } from '../../src/plaza/verify-preview.ts';

const blockHash = `0x${'5a'.repeat(32)}` as const;

/** 300 rows of 1,000 F32 features in shards of 120 rows: rows straddle chunk borders. */
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

/** What GET /v1/datasets/preview answers for this dataset and block. */
function response(dataset: ImportedDataset, k: number): PreviewResponse {
  const root = dataset.manifest.datasetRoot as `0x${string}`;
  return {
    datasetId: '7',
    mintBlock: '10',
    seedBlock: '11',
    seed: bytesToHex(previewSeed(root, blockHash)),
    k,
    ...previewToJson(createPreview(dataset, blockHash, k)),
    features: { dtype: 'F32' },
    labels: { dtype: 'I32' },
    classes: ['a', 'b', 'c'],
  };
}

const clone = (p: PreviewResponse): PreviewResponse => structuredClone(p);

describe('the browser preview verifier', () => {
  const dataset = wideDataset();
  const root = dataset.manifest.datasetRoot;
  const honest = response(dataset, 6);

  it('verifies every row of an honest preview and decodes the real values', () => {
    const verdict = verifyPreviewInBrowser(honest, root);
    expect(verdict.allVerified).toBe(true);
    expect(verdict.seed).toBe(honest.seed);
    expect(verdict.rows).toHaveLength(6);
    expect(verdict.rows.some((r) => honest.rows.find((x) => x.row === r.row)!.chunks.length > 1)).toBe(true);
    for (const row of verdict.rows) {
      expect(row.verified).toBe(true);
      // Row r of the shuffled dataset: the features start at its original index, its label is that index mod 3.
      const original = Math.floor(row.features[0]!);
      expect(row.features[999]).toBeCloseTo(original + 0.999, 3);
      expect(row.labels).toEqual([original % 3]);
    }
  });

  it('marks a row whose proof was tampered with as not verified, and only that row', () => {
    const tampered = clone(honest);
    const chunk = tampered.rows[2]!.chunks[0]!;
    chunk.proof = chunk.proof.length > 0 ? [`0x${'00'.repeat(32)}`, ...chunk.proof.slice(1)] : [`0x${'11'.repeat(32)}`];
    const verdict = verifyPreviewInBrowser(tampered, root);
    expect(verdict.allVerified).toBe(false);
    expect(verdict.rows[2]).toMatchObject({ verified: false, reason: expect.stringMatching(/Merkle proof/) });
    expect(verdict.rows.filter((r) => r.verified)).toHaveLength(5);
  });

  it('refuses altered chunk bytes, a row the seed did not select, a forged shard table and another root', () => {
    const bytes = clone(honest);
    const raw = atob(bytes.rows[0]!.chunks[0]!.bytes);
    bytes.rows[0]!.chunks[0]!.bytes = btoa(`${raw[0] === 'A' ? 'B' : 'A'}${raw.slice(1)}`);
    expect(verifyPreviewInBrowser(bytes, root).rows[0]).toMatchObject({ verified: false });

    const picked = clone(honest);
    picked.rows[1]!.row = (picked.rows[1]!.row + 1) % 300;
    const pickedVerdict = verifyPreviewInBrowser(picked, root);
    expect(pickedVerdict.selectionMatches).toBe(false);
    expect(pickedVerdict.rows[1]).toMatchObject({ verified: false, reason: expect.stringMatching(/seed selects/) });

    const table = clone(honest);
    table.shards[0]!.rows += 1;
    const tableVerdict = verifyPreviewInBrowser(table, root);
    expect(tableVerdict.tableMatchesRoot).toBe(false);
    expect(tableVerdict.rows.every((r) => !r.verified)).toBe(true);

    expect(verifyPreviewInBrowser(honest, `0x${'ab'.repeat(32)}`).allVerified).toBe(false);
  });

  it('never throws on malformed input', () => {
    const broken = clone(honest);
    broken.rows[0]!.chunks[0]!.bytes = '%%%not base64';
    broken.rows[1]!.chunks[0]!.proof = ['0xzz'];
    const verdict = verifyPreviewInBrowser(broken, root);
    expect(verdict.rows[0]!.verified).toBe(false);
    expect(verdict.rows[1]!.verified).toBe(false);
    expect(verifyPreviewInBrowser({ ...honest, shards: [] }, root).allVerified).toBe(false);
  });
});
