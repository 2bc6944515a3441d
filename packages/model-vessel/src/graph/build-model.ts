import * as tfl from '@tensorflow/tfjs-layers';
import type { CheckedGraph, CheckedLayer } from './check-topology.ts';
import type { InitializerSpec } from './config-values.ts';

// The only constructors the boundary can reach: one per allow-listed layer, called with validated plain values.
const FACTORIES: Readonly<Record<string, (args: never) => tfl.layers.Layer>> = {
  Dense: tfl.layers.dense,
  Conv1D: tfl.layers.conv1d,
  Conv2D: tfl.layers.conv2d,
  MaxPooling1D: tfl.layers.maxPooling1d,
  AveragePooling1D: tfl.layers.averagePooling1d,
  MaxPooling2D: tfl.layers.maxPooling2d,
  AveragePooling2D: tfl.layers.averagePooling2d,
  GlobalAveragePooling1D: tfl.layers.globalAveragePooling1d,
  GlobalMaxPooling1D: tfl.layers.globalMaxPooling1d,
  GlobalAveragePooling2D: tfl.layers.globalAveragePooling2d,
  GlobalMaxPooling2D: tfl.layers.globalMaxPooling2d,
  Flatten: tfl.layers.flatten,
  Reshape: tfl.layers.reshape,
  Dropout: tfl.layers.dropout,
  Activation: tfl.layers.activation,
  Embedding: tfl.layers.embedding,
  BatchNormalization: tfl.layers.batchNormalization,
};

const INITIALIZERS: Readonly<Record<string, (config: never) => unknown>> = {
  GlorotUniform: tfl.initializers.glorotUniform,
  GlorotNormal: tfl.initializers.glorotNormal,
  HeUniform: tfl.initializers.heUniform,
  HeNormal: tfl.initializers.heNormal,
  LeCunUniform: tfl.initializers.leCunUniform,
  LeCunNormal: tfl.initializers.leCunNormal,
  Zeros: tfl.initializers.zeros,
  Ones: tfl.initializers.ones,
  Constant: tfl.initializers.constant,
  RandomUniform: tfl.initializers.randomUniform,
  RandomNormal: tfl.initializers.randomNormal,
  TruncatedNormal: tfl.initializers.truncatedNormal,
};

// Keras defaults, written out so that every random initializer gets an explicit seed.
const DEFAULT_INITIALIZERS: Readonly<Record<string, InitializerSpec>> = {
  kernel_initializer: { className: 'GlorotUniform', config: {} },
  embeddings_initializer: { className: 'RandomUniform', config: { minval: -0.05, maxval: 0.05 } },
};

/** A well-mixed 32-bit seed from the job seed, layer index and slot (murmur3 finalizer): stable across machines. */
export function deriveSeed(jobSeed: number, layerIndex: number, slot: number): number {
  let h = (jobSeed ^ Math.imul(layerIndex + 1, 0x9e3779b1) ^ Math.imul(slot + 1, 0x85ebca77)) >>> 0;
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b) >>> 0;
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35) >>> 0;
  return (h ^ (h >>> 16)) >>> 0;
}

const camel = (key: string) => key.replace(/_([a-z])/g, (_m, c: string) => c.toUpperCase());

function layerArgs(layer: CheckedLayer, index: number, jobSeed: number, inputShape?: readonly number[]) {
  const args: Record<string, unknown> = {};
  const config: Record<string, unknown> = { ...layer.config };
  for (const [key, spec] of Object.entries(DEFAULT_INITIALIZERS)) {
    const accepts =
      key === 'embeddings_initializer' ? layer.className === 'Embedding' : 'units' in config || 'filters' in config;
    if (accepts && config[key] === undefined) config[key] = spec;
  }
  let slot = 0;
  for (const [key, value] of Object.entries(config)) {
    if (key.endsWith('_initializer')) {
      const spec = value as InitializerSpec;
      const factory = INITIALIZERS[spec.className] as (c: Record<string, number>) => unknown;
      args[camel(key)] = factory({ ...spec.config, seed: deriveSeed(jobSeed, index, slot++) });
    } else if (key === 'activation' && value === 'hard_sigmoid') {
      args.activation = 'hardSigmoid';
    } else {
      args[camel(key)] = value;
    }
  }
  // tfjs Dropout draws a mask from its seed; a fixed per-layer seed makes it reproducible.
  if (layer.className === 'Dropout') args.seed = deriveSeed(jobSeed, index, 99);
  if (inputShape !== undefined) args.inputShape = [...inputShape];
  return args;
}

/**
 * Builds a tfjs-layers model from a graph that passed `checkTopology`, seeding every initializer (and dropout) from
 * `jobSeed`, so the initial weights are a pure function of (graph, seed, backend). No code is loaded or evaluated.
 */
export function buildModel(graph: CheckedGraph, jobSeed: number): tfl.Sequential {
  const model = tfl.sequential();
  for (const [i, layer] of graph.layers.entries()) {
    const factory = FACTORIES[layer.className] as (args: Record<string, unknown>) => tfl.layers.Layer;
    model.add(factory(layerArgs(layer, i, jobSeed, i === 0 ? graph.inputShape : undefined)));
  }
  return model;
}
