/**
 * The built-in templates as ordinary assets (issue 12: one path, not two): each template's examples go through the
 * Data Vessel's digitization core (`buildDataset`: shuffle, split, safetensors shards, Merkle commitments) into a
 * dataset directory like `aic data import` writes, and its model becomes a hand-written-style manifest text. The
 * devnet's data owner then publishes both through its node, exactly as a member would.
 */
import { join } from 'node:path';
import { buildDataset, type DatasetDescription, writeDatasetDir } from '@aic/data-vessel';
import { TEMPLATES, type TensorDataset } from '@aic/model-vessel';

/** Templates whose examples the devnet can publish (speech needs its WAV pipeline; not used by the demo). */
export const PUBLISHABLE_TEMPLATES = ['mnist', 'iris', 'intent'] as const;
export type PublishableTemplate = (typeof PUBLISHABLE_TEMPLATES)[number];

const DESCRIPTIONS: Record<PublishableTemplate, Omit<DatasetDescription, 'classes' | 'name'>> = {
  mnist: {
    description: 'Handwritten digits (MNIST), 28×28 grey pixels scaled to [0, 1]',
    sourceKind: 'image-folder',
    task: 'classification',
    normalization: { kind: 'scale', factor: 1 / 255 },
    preprocessing: { kind: 'image', width: 28, height: 28, channels: 1, resize: 'bilinear' },
  },
  iris: {
    description: 'Fisher’s iris measurements (sepal and petal length and width, cm)',
    sourceKind: 'tabular-csv',
    task: 'classification',
    normalization: { kind: 'none' },
    preprocessing: { kind: 'tabular', labelColumn: 'species', numericColumns: [], categoricalColumns: [] },
  },
  intent: {
    description: 'Short chat utterances labelled with their intent (hashed bag of words)',
    sourceKind: 'text-jsonl',
    task: 'classification',
    normalization: { kind: 'none' },
    preprocessing: {
      kind: 'text',
      tokenizer: 'lowercase-words/1',
      maxTokens: 32,
      vocabulary: ['<pad>', '<unk>', '<sep>'],
    },
  },
};

function concat(a: TensorDataset, b: TensorDataset): { features: Float32Array; labels: Int32Array; rows: number } {
  const features = new Float32Array(a.features.length + b.features.length);
  features.set(a.features);
  features.set(b.features, a.features.length);
  const labels = Int32Array.from([...a.labels, ...b.labels], (v) => Math.round(v));
  return { features, labels, rows: a.count + b.count };
}

/**
 * Writes a template's examples (train and test together; the dataset's own split holds 10 % out) as a Data Vessel
 * dataset directory under `root` and returns its path and the model manifest's exact text.
 */
export async function writeTemplateAssets(
  template: PublishableTemplate,
  root: string,
  pricePerUseWei: bigint,
): Promise<{ datasetDir: string; modelManifest: string; rows: number }> {
  const t = TEMPLATES[template];
  if (!t) throw new Error(`no template ${template}`);
  const data = await t.loadData();
  const { features, labels, rows } = concat(data.train, data.test);
  const output = t.manifest.outputs[0];
  const classCount = output?.shape[0] ?? 1;
  const classes = output?.labels ?? Array.from({ length: classCount }, (_, i) => String(i));
  const imported = buildDataset(
    { rows, features, featureShape: data.train.featureShape, labels, labelShape: [1] },
    { name: `${template}-examples`, classes, ...DESCRIPTIONS[template] },
    { license: data.license, pricePerUseWei, testFraction: 0.1, shuffleSeed: 1 },
  );
  const datasetDir = join(root, `${template}-dataset`);
  await writeDatasetDir(datasetDir, imported);
  return { datasetDir, modelManifest: JSON.stringify(t.manifest, null, 2), rows };
}
