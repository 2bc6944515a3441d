import { checkTopology } from '../graph/check-topology.ts';
import { DEFAULT_MODEL_LIMITS } from '../limits.ts';
import type { ModelLoss, ModelManifest, ModelTask } from '../manifest/schema.ts';
import type { RuntimeBackend } from '../runtime/backend.ts';
import type { TensorDataset } from '../runtime/dataset.ts';

/** A template's data: a training split, a held-out test split, and where the data comes from. */
export interface TemplateData {
  readonly train: TensorDataset;
  readonly test: TensorDataset;
  readonly source: string;
  readonly license: string;
}

/** A ready-to-train model for one of the white paper's application areas, with its reference result. */
export interface ModelTemplate {
  readonly id: string;
  readonly manifest: ModelManifest;
  readonly loadData: () => Promise<TemplateData>;
  /** The test-set accuracy the template must reach with `job` (asserted by a test). */
  readonly referenceAccuracy: number;
  /** Honest notes on what the reference means. */
  readonly note: string;
  readonly job: { readonly backend: RuntimeBackend; readonly seed: number; readonly commitEverySteps: number };
}

export interface ManifestDraft {
  readonly name: string;
  readonly task: ModelTask;
  readonly description: string;
  readonly input: ModelManifest['inputs'][number];
  readonly output: ModelManifest['outputs'][number];
  readonly layers: readonly { class_name: string; config: Record<string, unknown> }[];
  readonly loss: ModelLoss;
  readonly epochs: number;
  readonly batchSize: number;
  readonly learningRate: number;
  readonly license: string;
  readonly datasetId: string;
}

/** Fills the common manifest fields (hyperparameter schema, runtime, hardware estimate, lineage) for a template. */
export function manifestFromDraft(d: ManifestDraft): ModelManifest {
  const modelTopology = { class_name: 'Sequential', config: { name: d.name, layers: d.layers } };
  const graph = checkTopology(modelTopology, d.input.shape, DEFAULT_MODEL_LIMITS);
  return {
    schema: 'aic-model/1',
    name: d.name,
    version: '1.0.0',
    task: d.task,
    description: d.description,
    inputs: [d.input],
    outputs: [d.output],
    architecture: { format: 'tfjs-layers', modelTopology, loss: d.loss },
    hyperparameters: {
      type: 'object',
      properties: {
        epochs: { type: 'integer', default: d.epochs, minimum: 1, maximum: 1000 },
        batchSize: { type: 'integer', default: d.batchSize, minimum: 1, maximum: 4096 },
        learningRate: { type: 'number', default: d.learningRate, minimum: 1e-6, maximum: 1 },
        optimizer: { type: 'string', default: 'adam', enum: ['adam', 'sgd'] },
      },
      additionalProperties: false,
    },
    runtime: { engine: 'tensorflowjs', engineVersion: '4.22.0', backends: ['cpu', 'wasm', 'webgpu'] },
    // weights + gradients + two Adam moments, plus activations of a 256-sample batch
    hardware: {
      minMemoryBytes: 16 * graph.parameterCount + 4 * 256 * graph.maxActivationElements * graph.layers.length,
      flopsPerSample: graph.flopsPerSample,
      gpu: 'optional',
    },
    metrics: [],
    license: d.license,
    pricePerCallWei: '1000000000000000',
    lineage: { parents: [{ kind: 'dataset', id: d.datasetId, shareBps: 0 }] },
  };
}

/** Splits `count` row indices deterministically: every `every`-th row (offset `offset`) goes to the test split. */
export function splitIndices(count: number, every: number, offset = 0): { train: number[]; test: number[] } {
  const train: number[] = [];
  const test: number[] = [];
  for (let i = 0; i < count; i++) (i % every === offset ? test : train).push(i);
  return { train, test };
}

/** Picks rows of a row-major feature matrix and their labels into a dataset. */
export function pickRows(
  features: ArrayLike<number>,
  featureShape: readonly number[],
  labels: ArrayLike<number>,
  rows: readonly number[],
): TensorDataset {
  const width = featureShape.reduce((a, d) => a * d, 1);
  const x = new Float32Array(rows.length * width);
  const y = new Float32Array(rows.length);
  rows.forEach((row, i) => {
    for (let j = 0; j < width; j++) x[i * width + j] = features[row * width + j] as number;
    y[i] = labels[row] as number;
  });
  return { features: x, featureShape, labels: y, labelShape: [1], count: rows.length };
}
