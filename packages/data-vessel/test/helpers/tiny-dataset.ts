import { buildDataset, type ImportedDataset } from '../../src/index.ts';

/** A small synthetic tabular dataset: `rows` rows of 3 features, 2 classes. */
export function tinyDataset(rows = 20, rowsPerShard = 8): ImportedDataset {
  const features = Float32Array.from({ length: rows * 3 }, (_, i) => i / 10);
  const labels = Int32Array.from({ length: rows }, (_, i) => i % 2);
  return buildDataset(
    { rows, features, featureShape: [3], labels, labelShape: [] },
    {
      name: 'tiny',
      sourceKind: 'tabular-csv',
      task: 'classification',
      classes: ['a', 'b'],
      featureNames: ['x', 'y', 'z'],
      normalization: { kind: 'none' },
      preprocessing: { kind: 'tabular', labelColumn: 'c', numericColumns: ['x', 'y', 'z'], categoricalColumns: [] },
    },
    { license: 'CC0-1.0', pricePerUseWei: 5n, rowsPerShard },
  );
}
