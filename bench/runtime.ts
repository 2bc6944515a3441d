/**
 * `npm run bench -- runtime`: the cost of the Model Vessel's deterministic harness (seeded batch order, checkpoint
 * commitments every K steps) against bare TensorFlow.js `model.fit` on the same model and data, per backend.
 * Prints samples/s per backend and, last, {"bench":"runtime","ratio":..} where ratio = harness time / bare time
 * (the worse backend); the goal is ≤ 1.05. `commitShare` isolates the commitment cost, which the ratio alone hides
 * in machine noise: the measured time of one commitment (read weights and optimizer state, SHA-256 them) divided by
 * the time of the K steps between two commitments.
 */
import '@aic/core/polyfills';
import * as tf from '@tensorflow/tfjs-core';
import {
  buildModel,
  compileModel,
  hashStateArrays,
  mnistTemplate,
  type RuntimeBackend,
  readModelWeights,
  readOptimizerState,
  type TensorDataset,
  trainJob,
  useBackend,
  validateManifest,
} from '../packages/model-vessel/src/index.ts';

const SAMPLES = 1600;
const EPOCHS = 2;
const BATCH = 32;
const K = 50;
const ROUNDS = 3;

async function mnistSlice(): Promise<TensorDataset> {
  const { train } = await mnistTemplate.loadData();
  const rows = Array.from({ length: SAMPLES }, (_, i) => (i * 5) % train.count);
  const features = new Float32Array(SAMPLES * 784);
  rows.forEach((r, i) => {
    features.set(train.features.subarray(r * 784, (r + 1) * 784), i * 784);
  });
  return {
    features,
    featureShape: [784],
    labels: Float32Array.from(rows, (r) => train.labels[r] as number),
    labelShape: [1],
    count: SAMPLES,
  };
}

/** Bare TensorFlow.js: build, compile, model.fit with its own shuffling. */
async function bare(data: TensorDataset, seed: number): Promise<number> {
  const start = performance.now();
  const { graph, manifest } = validateManifest(mnistTemplate.manifest);
  const model = buildModel(graph, seed);
  const optimizer = tf.train.adam(0.001);
  compileModel(model, manifest.architecture.loss, optimizer);
  const x = tf.tensor(data.features, [data.count, 784]);
  const y = tf.tensor(data.labels, [data.count, 1]);
  await model.fit(x, y, { batchSize: BATCH, epochs: EPOCHS, shuffle: true, verbose: 0 });
  await model.weights[0]?.read().data(); // wait for the last step, as the harness does
  const ms = performance.now() - start;
  tf.dispose([x, y]);
  model.dispose();
  optimizer.dispose();
  return ms;
}

/** The runtime: validation, seeded batch order, commitments every K steps, result CID. */
async function harness(data: TensorDataset, backend: RuntimeBackend, seed: number): Promise<number> {
  const start = performance.now();
  const result = await trainJob(
    {
      manifest: mnistTemplate.manifest,
      backend,
      seed,
      commitEverySteps: K,
      hyperparameters: { epochs: EPOCHS, batchSize: BATCH, learningRate: 0.001 },
    },
    data,
  );
  const ms = performance.now() - start;
  result.model.dispose();
  return ms;
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] as number;

const STEPS = Math.ceil(SAMPLES / BATCH) * EPOCHS;
// commitment time / time of the K steps between two commitments (step time taken from the harness run)
function shareOf(b: string): number {
  const f = figures[b];
  return f ? f.commitMs / ((f.harnessMs / STEPS) * K) : Number.NaN;
}

const data = await mnistSlice();
/** Median time of one commitment's state read-back and hashing, on a model that has taken a training step. */
async function commitMs(data: TensorDataset): Promise<number> {
  const { graph, manifest } = validateManifest(mnistTemplate.manifest);
  const model = buildModel(graph, 1);
  const optimizer = tf.train.adam(0.001);
  compileModel(model, manifest.architecture.loss, optimizer);
  const x = tf.tensor(data.features.subarray(0, BATCH * 784), [BATCH, 784]);
  const y = tf.tensor(data.labels.subarray(0, BATCH), [BATCH, 1]);
  await model.fit(x, y, { batchSize: BATCH, epochs: 1, verbose: 0 });
  const times: number[] = [];
  for (let i = 0; i < 7; i++) {
    const start = performance.now();
    hashStateArrays(await readModelWeights(model));
    hashStateArrays(await readOptimizerState(optimizer));
    times.push(performance.now() - start);
  }
  tf.dispose([x, y]);
  model.dispose();
  optimizer.dispose();
  return median(times);
}

const figures: Record<string, { bareMs: number; harnessMs: number; commitMs: number }> = {};
for (const backend of ['cpu', 'wasm'] as RuntimeBackend[]) {
  await useBackend(backend);
  await bare(data, 0); // warm-up: kernel setup, first allocations
  const bareMs: number[] = [];
  const harnessMs: number[] = [];
  for (let round = 0; round < ROUNDS; round++) {
    bareMs.push(await bare(data, round));
    harnessMs.push(await harness(data, backend, round));
  }
  figures[backend] = { bareMs: median(bareMs), harnessMs: median(harnessMs), commitMs: await commitMs(data) };
  const f = figures[backend];
  const samples = SAMPLES * EPOCHS;
  console.log(
    `${backend}: bare ${(samples / (f.bareMs / 1000)).toFixed(0)} samples/s, harness ${(samples / (f.harnessMs / 1000)).toFixed(0)} samples/s, ratio ${(f.harnessMs / f.bareMs).toFixed(3)}, one commitment ${f.commitMs.toFixed(1)} ms = ${(100 * shareOf(backend)).toFixed(2)} % of ${K} steps (median of ${ROUNDS}, K = ${K})`,
  );
}
const ratioOf = (b: string) => (figures[b]?.harnessMs ?? Number.NaN) / (figures[b]?.bareMs ?? Number.NaN);
const rate = (b: string) => Math.round((SAMPLES * EPOCHS) / ((figures[b]?.harnessMs ?? Number.NaN) / 1000));
console.log(
  JSON.stringify({
    bench: 'runtime',
    ratio: Number(Math.max(ratioOf('cpu'), ratioOf('wasm')).toFixed(3)),
    cpuSamplesPerS: rate('cpu'),
    wasmSamplesPerS: rate('wasm'),
    cpuRatio: Number(ratioOf('cpu').toFixed(3)),
    wasmRatio: Number(ratioOf('wasm').toFixed(3)),
    commitShare: Number(Math.max(shareOf('cpu'), shareOf('wasm')).toFixed(4)),
    cpuCommitMs: Number(figures.cpu?.commitMs.toFixed(2)),
    wasmCommitMs: Number(figures.wasm?.commitMs.toFixed(2)),
    commitEverySteps: K,
    steps: STEPS,
  }),
);
