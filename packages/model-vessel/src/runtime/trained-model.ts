import { AicError } from '@aic/core';
import * as tf from '@tensorflow/tfjs-core';
import type * as tfl from '@tensorflow/tfjs-layers';
import { buildModel } from '../graph/build-model.ts';
import { DEFAULT_MODEL_LIMITS, type ModelLimits } from '../limits.ts';
import type { ModelLoss } from '../manifest/schema.ts';
import { validateManifest } from '../manifest/validate.ts';
import { type RuntimeBackend, useBackend } from './backend.ts';
import type { TensorDataset } from './dataset.ts';
import { writeModelWeights } from './model-state.ts';
import { weightsFromSafetensors } from './weights-file.ts';

/** Compiles a model with the manifest's loss (and accuracy for classification losses). */
export function compileModel(model: tfl.LayersModel, loss: ModelLoss, optimizer: tf.Optimizer | string = 'sgd'): void {
  model.compile({ optimizer, loss, metrics: loss === 'meanSquaredError' ? [] : ['accuracy'] });
}

/**
 * Builds a manifest's model and loads a weights file into it, after validating both (untrusted input).
 * Throws the manifest errors, SAFETENSORS_*, MODEL_WEIGHTS_NOT_FINITE or MODEL_WEIGHTS_INVALID.
 */
export async function loadTrainedModel(
  manifestInput: unknown,
  weightsBytes: Uint8Array,
  backend: RuntimeBackend,
  limits: ModelLimits = DEFAULT_MODEL_LIMITS,
): Promise<tfl.LayersModel> {
  const { manifest, graph } = validateManifest(manifestInput, limits);
  const weights = weightsFromSafetensors(weightsBytes);
  await useBackend(backend);
  const model = buildModel(graph, 0);
  const expected = model.weights.map((w) => w.shape.join());
  if (expected.join('|') !== weights.map((w) => w.shape.join()).join('|')) {
    model.dispose();
    throw new AicError('MODEL_WEIGHTS_INVALID', 'weights file does not match the architecture');
  }
  writeModelWeights(model, weights);
  compileModel(model, manifest.architecture.loss);
  return model;
}

/** Loss and (for classification) accuracy of a compiled model on a dataset. */
export interface Evaluation {
  readonly loss: number;
  readonly accuracy?: number;
  readonly count: number;
}

/** Evaluates a compiled model on `data` in batches. */
export async function evaluate(model: tfl.LayersModel, data: TensorDataset, batchSize = 256): Promise<Evaluation> {
  const x = tf.tensor(data.features, [data.count, ...data.featureShape]);
  const y = tf.tensor(data.labels, [data.count, ...data.labelShape]);
  try {
    const out = model.evaluate(x, y, { batchSize });
    const scalars = Array.isArray(out) ? out : [out];
    const values = await Promise.all(scalars.map(async (s) => (await s.data())[0] as number));
    for (const s of scalars) s.dispose();
    const [loss = Number.NaN, accuracy] = values;
    return accuracy === undefined ? { loss, count: data.count } : { loss, accuracy, count: data.count };
  } finally {
    x.dispose();
    y.dispose();
  }
}
