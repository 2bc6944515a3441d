import { buildDataset, encryptShard, generateDatasetKey, type Hex } from '@aic/data-vessel';

/**
 * A tabular dataset of about `mib` MiB: rows of 1,024 float32 features (4 KiB a row), 2,048 rows (8 MiB) a shard,
 * encrypted under a fresh key. Values are pseudo-random so nothing compresses.
 */
export function syntheticDataset(mib: number) {
  const width = 1024;
  const rows = Math.max(1, Math.round((mib * 1024 * 1024) / (4 * width)));
  const features = new Float32Array(rows * width);
  let x = 0x9e3779b9;
  for (let i = 0; i < features.length; i++) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    features[i] = (x >>> 0) / 2 ** 32;
  }
  const labels = Int32Array.from({ length: rows }, (_, i) => i % 2);
  const names = Array.from({ length: width }, (_, i) => `f${i}`);
  const { manifest, shards } = buildDataset(
    { rows, features, featureShape: [width], labels, labelShape: [] },
    {
      name: 'bench-synthetic',
      sourceKind: 'tabular-csv',
      task: 'classification',
      classes: ['a', 'b'],
      featureNames: names,
      normalization: { kind: 'none' },
      preprocessing: { kind: 'tabular', labelColumn: 'label', numericColumns: names, categoricalColumns: [] },
    },
    { license: 'CC0-1.0', pricePerUseWei: 0n, rowsPerShard: 2048 },
  );
  const key = generateDatasetKey();
  const datasetRoot = manifest.datasetRoot as Hex;
  const sealed = shards.map((shard, i) => encryptShard(key, datasetRoot, i, shard));
  return { manifest, shards, key, datasetRoot, sealed };
}
