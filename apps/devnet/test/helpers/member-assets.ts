/**
 * A member's own assets for the open-market tests (issue 12, done-when 1): nothing from the templates. A tabular CSV
 * whose label follows a rule a small MLP can learn (two numeric features decide it, a categorical one shifts it, a
 * fourth is noise), and a hand-written model manifest for it.
 */
import { writeFile } from 'node:fs/promises';
import { Prng, prngStateFromSeed } from '@aic/model-vessel';

/** Uniform [0, 1) numbers from the runtime's seeded PRNG, so the CSV is the same on every run. */
function random(seed: number): () => number {
  const prng = new Prng(prngStateFromSeed(seed));
  return () => prng.nextU32() / 2 ** 32;
}

/** In the importer's order (sorted category names), so class id i is RULE_CLASSES[i]. */
export const RULE_CLASSES = ['high', 'low'] as const;
const COLORS = ['red', 'green', 'blue'] as const;
const SHIFT: Record<(typeof COLORS)[number], number> = { red: -0.5, green: 0, blue: 0.5 };

/**
 * Writes `rows` rows `x1,x2,noise,color,label` with label = high when x1 + x2 + shift(color) > 0. The rule is exact
 * (no label noise), so a model that learns it scores well above the majority class (about 50 %).
 */
export async function writeRuleCsv(path: string, rows = 6_000, seed = 7): Promise<void> {
  const next = random(seed);
  const lines = ['x1,x2,noise,color,label'];
  for (let i = 0; i < rows; i++) {
    const x1 = next() * 4 - 2;
    const x2 = next() * 4 - 2;
    const noise = next() * 2 - 1;
    const color = COLORS[Math.floor(next() * COLORS.length)] ?? 'red';
    const label = x1 + x2 + SHIFT[color] > 0 ? 'high' : 'low';
    lines.push(`${x1.toFixed(4)},${x2.toFixed(4)},${noise.toFixed(4)},${color},${label}`);
  }
  await writeFile(path, `${lines.join('\n')}\n`);
}

/** Inputs after import: 3 numeric columns + 3 one-hot colour columns. */
export const RULE_FEATURES = 6;

/** A hand-written MLP manifest (aic-model/1) for the rule's table: 6 inputs → 16 relu → 2 softmax. */
export function ruleMlpManifest(): string {
  const manifest = {
    schema: 'aic-model/1',
    name: 'rule-mlp',
    version: '1.0.0',
    task: 'tabular-classification',
    description: 'A member’s own small MLP for a table whose label follows x1 + x2 + shift(colour) > 0.',
    inputs: [
      {
        name: 'row',
        dtype: 'float32',
        shape: [RULE_FEATURES],
        meaning: 'x1, x2, noise (standardized) and the colour one-hot',
      },
    ],
    outputs: [
      {
        name: 'label',
        dtype: 'float32',
        shape: [RULE_CLASSES.length],
        meaning: 'class probabilities',
        labels: [...RULE_CLASSES],
      },
    ],
    architecture: {
      format: 'tfjs-layers',
      modelTopology: {
        class_name: 'Sequential',
        config: {
          name: 'rule-mlp',
          layers: [
            { class_name: 'Dense', config: { units: 16, activation: 'relu' } },
            { class_name: 'Dense', config: { units: RULE_CLASSES.length, activation: 'softmax' } },
          ],
        },
      },
      loss: 'sparseCategoricalCrossentropy',
    },
    hyperparameters: {
      type: 'object',
      properties: {
        epochs: { type: 'integer', default: 3, minimum: 1, maximum: 100 },
        batchSize: { type: 'integer', default: 64, minimum: 1, maximum: 4096 },
        learningRate: { type: 'number', default: 0.01, minimum: 0.000001, maximum: 1 },
        optimizer: { type: 'string', default: 'adam', enum: ['adam', 'sgd'] },
      },
      additionalProperties: false,
    },
    runtime: { engine: 'tensorflowjs', engineVersion: '4.22.0', backends: ['cpu', 'wasm'] },
    hardware: { minMemoryBytes: 1_000_000, flopsPerSample: 256, gpu: 'optional' },
    metrics: [],
    license: 'CC-BY-4.0',
    pricePerCallWei: '1000000000000000',
    lineage: { parents: [] },
  };
  return `${JSON.stringify(manifest, null, 2)}\n`;
}
