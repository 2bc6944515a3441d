/**
 * The GPU check's training figures: one job (the MNIST template's 784-256-10 MLP, batch 256, on a seeded synthetic
 * dataset so nothing is downloaded) trained on each backend; samples/s are timed from the first commitment on, so
 * model build and shader compilation stay out; the tolerant distances compare the weights at the same step.
 */
import {
  type Checkpoint,
  mnistTemplate,
  type RuntimeBackend,
  type TensorDataset,
  trainJob,
  weightsDistance,
} from '@aic/model-vessel';

const ROWS = 2_048;
const BATCH = 256;

/** 2,048 rows of 784 features in [0, 1) and labels 0–9 from a fixed linear congruential sequence. */
export function syntheticMnistLike(): TensorDataset {
  let x = 12345;
  const next = () => {
    x = (Math.imul(x, 1103515245) + 12345) >>> 0;
    return x / 2 ** 32;
  };
  const features = new Float32Array(ROWS * 784).map(() => next());
  const labels = new Float32Array(ROWS).map(() => Math.floor(next() * 10));
  return { features, labels, featureShape: [784], labelShape: [], count: ROWS };
}

export interface BackendRun {
  backend: RuntimeBackend;
  samplesPerSecond: number;
  steps: number;
  /** The state at `compareStep`, for the distances. */
  checkpoint: Checkpoint | undefined;
}

/** Trains `steps` steps (a commitment every `every`) and times the steps after the first commitment. */
export async function timeBackend(
  backend: RuntimeBackend,
  data: TensorDataset,
  o: { every: number; steps: number; compareStep: number },
): Promise<BackendRun> {
  const epochs = Math.ceil((o.steps * BATCH) / ROWS);
  const spec = {
    manifest: mnistTemplate.manifest,
    backend,
    seed: 7,
    commitEverySteps: o.every,
    hyperparameters: { epochs, batchSize: BATCH },
  };
  let firstAt: { step: number; ms: number } | undefined;
  let lastAt: { step: number; ms: number } | undefined;
  let checkpoint: Checkpoint | undefined;
  const run = await trainJob(spec, data, {
    stopAfterStep: o.steps,
    onCheckpoint: (c) => {
      const mark = { step: c.step, ms: performance.now() };
      if (c.step === o.every) firstAt = mark;
      if (c.step > o.every) lastAt = mark;
      if (c.step === o.compareStep) checkpoint = c;
    },
  });
  run.model.dispose();
  const timed = firstAt && lastAt ? { steps: lastAt.step - firstAt.step, ms: lastAt.ms - firstAt.ms } : undefined;
  const samplesPerSecond = timed ? (timed.steps * BATCH) / (timed.ms / 1000) : 0;
  return { backend, samplesPerSecond, steps: run.steps, checkpoint };
}

/** Relative L2 distance of two runs' weights at the compared step (NaN when either lacks it). */
export function runDistance(a: BackendRun | undefined, b: BackendRun | undefined): number {
  if (!a?.checkpoint || !b?.checkpoint) return Number.NaN;
  return weightsDistance(a.checkpoint.weights, b.checkpoint.weights).relativeL2;
}
