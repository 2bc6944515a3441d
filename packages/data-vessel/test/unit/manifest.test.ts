import { isAicError } from '@aic/core';
import { describe, expect, it } from 'vitest';
import { type DatasetManifest, importCsv, type ManifestIssue, parseDatasetManifest } from '../../src/index.ts';
import { tinyDataset } from '../helpers/tiny-dataset.ts';

function issuesOf(input: unknown): ManifestIssue[] {
  try {
    parseDatasetManifest(input);
  } catch (error) {
    if (isAicError(error, 'DATA_MANIFEST_INVALID')) return error.details.issues as ManifestIssue[];
    throw error;
  }
  throw new Error('expected the manifest to be rejected');
}

const base = (): DatasetManifest => structuredClone(tinyDataset().manifest);

describe('dataset manifest', () => {
  it('accepts what the builder writes, also as JSON text', () => {
    const { manifest } = tinyDataset();
    expect(parseDatasetManifest(JSON.stringify(manifest))).toEqual(manifest);
    expect(manifest.shards).toHaveLength(3);
    expect(manifest.split).toEqual({ trainRows: 16, testRows: 4, shuffleSeed: 1 });
  });

  it('names the path and the reason of a schema error', () => {
    const m = base() as unknown as { shards: { rows: unknown }[]; pricePerUseWei: unknown };
    (m.shards[1] as { rows: unknown }).rows = -1;
    m.pricePerUseWei = '1.5';
    const paths = issuesOf(m).map((i) => i.path);
    expect(paths).toContain('shards[1].rows');
    expect(paths).toContain('pricePerUseWei');
  });

  it('rejects unknown fields and a missing dataset root', () => {
    const m = { ...base(), extra: 1 } as Record<string, unknown>;
    delete m.datasetRoot;
    const issues = issuesOf(m);
    expect(issues.map((i) => i.path)).toContain('datasetRoot');
    expect(issues.some((i) => i.reason.includes('extra'))).toBe(true);
  });

  it('rejects row counts that do not add up', () => {
    const m = base();
    const issues = issuesOf({ ...m, rows: m.rows + 1 });
    expect(issues).toContainEqual({ path: 'rows', reason: 'shards hold 20 rows' });
    expect(issues.map((i) => i.path)).toContain('split');
  });

  it('rejects a dataset root that is not the root of the shard commitments', () => {
    const m = base();
    const first = m.shards[0]!;
    const tampered = { ...m, shards: [{ ...first, root: `0x${'11'.repeat(32)}` as const }, ...m.shards.slice(1)] };
    expect(issuesOf(tampered)).toEqual([
      { path: 'datasetRoot', reason: 'is not the Merkle root of the shard commitments' },
    ]);
  });

  it('rejects inconsistent schema details', () => {
    const m = base();
    const issues = issuesOf({
      ...m,
      features: { ...m.features, names: ['x'] },
      classes: undefined,
      normalization: { kind: 'zscore', mean: [0, 0], std: [1] },
    });
    expect(issues.map((i) => i.path).sort()).toEqual([
      'classes',
      'features.names',
      'normalization.mean',
      'normalization.std',
    ]);
  });

  it('never lets the builder hand out an invalid manifest or accept bad options', () => {
    const csv = 'x,y\n1,a\n2,b\n';
    const publish = { license: 'x', pricePerUseWei: 0n };
    expect(() => importCsv(csv, { name: 'Upper Case', labelColumn: 'y', ...publish })).toThrow(
      expect.objectContaining({
        code: 'DATA_MANIFEST_INVALID',
        details: { issues: [expect.objectContaining({ path: 'name' })] },
      }),
    );
    for (const bad of [{ testFraction: 1.5 }, { rowsPerShard: 0 }, { shuffleSeed: -1 }, { pricePerUseWei: -1n }]) {
      expect(() => importCsv(csv, { name: 'ok', labelColumn: 'y', ...publish, ...bad })).toThrow(
        expect.objectContaining({ code: 'DATA_IMPORT_OPTIONS_INVALID' }),
      );
    }
  });

  it('gives typed errors for bad JSON and oversized text, never a crash', () => {
    expect(() => parseDatasetManifest('{"schema":')).toThrow(
      expect.objectContaining({ code: 'DATA_MANIFEST_INVALID' }),
    );
    expect(() => parseDatasetManifest(' '.repeat(9 * 1024 * 1024))).toThrow(
      expect.objectContaining({ code: 'DATA_MANIFEST_TOO_LARGE' }),
    );
    for (const junk of [null, 42, [], 'null', '"x"']) {
      expect(() => parseDatasetManifest(junk)).toThrow(expect.objectContaining({ code: 'DATA_MANIFEST_INVALID' }));
    }
  });
});
