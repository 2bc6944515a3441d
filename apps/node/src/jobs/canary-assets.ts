/**
 * The assets a coordinator's canaries train (issue 12: one path, not two — a canary is an ordinary job on published
 * assets). The node publishes, once and through its own data role, the iris examples as a Dataset NFT (encrypted
 * shards in its content store, served to the canary's verifier under the key-release rule like any dataset) and the
 * iris MLP as a Model NFT, both priced 0; their ids are kept in `<dataDir>/coordinator/canary-assets.json` so a
 * restarted coordinator reuses them. Published lazily, on the first canary.
 */
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { buildDataset, writeDatasetDir } from '@aic/data-vessel';
import type { CanaryAssets } from '@aic/gpu-vessel';
import { irisTemplate } from '@aic/model-vessel';
import { z } from 'zod';
import type { PublishDatasetInput } from '../data/data-service.ts';
import { readJsonFile, writeFileAtomic } from '../state/atomic-file.ts';

export interface CanaryAssetsInit {
  dataDir: string;
  publishDataset(input: PublishDatasetInput): Promise<{ datasetId: string }>;
  /** Publishes a model manifest's exact text (priced 0); answers its Model NFT id. */
  publishModel(manifestText: string): Promise<{ modelId: string }>;
}

const fileSchema = z.object({
  datasetId: z.string().regex(/^[1-9][0-9]*$/),
  modelId: z.string().regex(/^[1-9][0-9]*$/),
});

/** The iris examples (train and test) as a Data Vessel dataset dir under `root` (its path). */
export async function writeCanaryDataset(root: string): Promise<string> {
  const data = await irisTemplate.loadData();
  const parts = [data.train, data.test];
  const features = new Float32Array(parts.reduce((n, p) => n + p.features.length, 0));
  let at = 0;
  for (const p of parts) {
    features.set(p.features, at);
    at += p.features.length;
  }
  const labels = Int32Array.from([...data.train.labels, ...data.test.labels], (v) => Math.round(v));
  const output = irisTemplate.manifest.outputs[0];
  const classes = output?.labels ?? Array.from({ length: output?.shape[0] ?? 1 }, (_, i) => String(i));
  const imported = buildDataset(
    {
      rows: data.train.count + data.test.count,
      features,
      featureShape: data.train.featureShape,
      labels,
      labelShape: [1],
    },
    {
      name: 'canary-iris',
      description: 'Fisher’s iris measurements: the data of the coordinator’s canary jobs',
      sourceKind: 'tabular-csv',
      task: 'classification',
      classes,
      normalization: { kind: 'none' },
      preprocessing: { kind: 'tabular', labelColumn: 'species', numericColumns: [], categoricalColumns: [] },
    },
    { license: data.license, pricePerUseWei: 0n, testFraction: 0.1, shuffleSeed: 1 },
  );
  const dir = join(root, 'canary-iris');
  await writeDatasetDir(dir, imported);
  return dir;
}

/** The canaries' assets: read from the coordinator's file, else published now (one publication at a time). */
export function canaryAssetsOf(init: CanaryAssetsInit): CanaryAssets {
  const path = join(init.dataDir, 'coordinator', 'canary-assets.json');
  let publishing: Promise<{ datasetId: string; modelId: string }> | undefined;
  const publish = async () => {
    const known = await readJsonFile(path, fileSchema);
    if (known) return known;
    const root = await mkdtemp(join(init.dataDir, 'canary-import-'));
    try {
      const dir = await writeCanaryDataset(root);
      const { datasetId } = await init.publishDataset({ dir, pricePerUseWei: 0n, license: 'job-only' });
      const { modelId } = await init.publishModel(JSON.stringify(irisTemplate.manifest));
      const ids = { datasetId, modelId };
      await mkdir(dirname(path), { recursive: true, mode: 0o700 });
      await writeFileAtomic(path, JSON.stringify(ids));
      return ids;
    } finally {
      // The data role keeps the encrypted shards in its content store; the plaintext import is not needed.
      await rm(root, { recursive: true, force: true });
    }
  };
  return async () => {
    publishing ??= publish().catch((error: unknown) => {
      publishing = undefined; // a failed publication is tried again by the next canary
      throw error;
    });
    const ids = await publishing;
    return { datasetId: BigInt(ids.datasetId), modelId: BigInt(ids.modelId) };
  };
}
