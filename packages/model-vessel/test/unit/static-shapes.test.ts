import { describe, expect, it } from 'vitest';
import { buildModel, checkTopology, DEFAULT_MODEL_LIMITS } from '../../src/index.ts';

type Layer = { class_name: string; config: Record<string, unknown> };
const topology = (layers: Layer[]) => ({ class_name: 'Sequential', config: { layers } });

// The limits rely on the static parameter count and shapes: check them against what tfjs-layers actually builds.
const cases: { name: string; input: number[]; layers: Layer[] }[] = [
  {
    name: 'conv2d + pooling + batchnorm + dense',
    input: [28, 28, 1],
    layers: [
      { class_name: 'Conv2D', config: { filters: 8, kernel_size: 3, activation: 'relu' } },
      { class_name: 'MaxPooling2D', config: { pool_size: [2, 2] } },
      {
        class_name: 'Conv2D',
        config: { filters: 4, kernel_size: [5, 3], strides: 2, padding: 'same', use_bias: false },
      },
      { class_name: 'BatchNormalization', config: { center: false } },
      { class_name: 'AveragePooling2D', config: { pool_size: 2, strides: 1 } },
      { class_name: 'Flatten', config: {} },
      { class_name: 'Dropout', config: { rate: 0.2 } },
      { class_name: 'Dense', config: { units: 10, activation: 'softmax' } },
    ],
  },
  {
    name: 'embedding + conv1d + global pooling',
    input: [20],
    layers: [
      { class_name: 'Embedding', config: { input_dim: 100, output_dim: 8 } },
      { class_name: 'Conv1D', config: { filters: 6, kernel_size: 3, padding: 'valid' } },
      { class_name: 'MaxPooling1D', config: { pool_size: 2 } },
      { class_name: 'GlobalAveragePooling1D', config: {} },
      { class_name: 'Activation', config: { activation: 'tanh' } },
      { class_name: 'Dense', config: { units: 2, activation: 'sigmoid' } },
    ],
  },
  {
    name: 'reshape + dense on rank 3 + global 2d pooling',
    input: [12],
    layers: [
      { class_name: 'Reshape', config: { target_shape: [2, 2, 3] } },
      { class_name: 'Dense', config: { units: 5 } },
      { class_name: 'GlobalMaxPooling2D', config: {} },
    ],
  },
];

describe('static shape and parameter inference', () => {
  it.each(cases)('matches tfjs-layers for $name', ({ input, layers }) => {
    const graph = checkTopology(topology(layers), input, DEFAULT_MODEL_LIMITS);
    const model = buildModel(graph, 1);
    try {
      expect(graph.parameterCount).toBe(model.countParams());
      expect([null, ...graph.outputShape]).toEqual(model.outputs[0]?.shape);
      graph.layers.forEach((layer, i) => {
        expect([null, ...layer.outputShape], layer.className).toEqual(model.layers[i]?.outputShape);
      });
    } finally {
      model.dispose();
    }
  });

  it('refuses windows that do not fit and impossible reshapes', () => {
    const tooBig = [{ class_name: 'Conv2D', config: { filters: 1, kernel_size: 9 } }];
    expect(() => checkTopology(topology(tooBig), [4, 4, 1], DEFAULT_MODEL_LIMITS)).toThrow(
      expect.objectContaining({ code: 'MODEL_ARCHITECTURE_INVALID' }),
    );
    const reshape = [{ class_name: 'Reshape', config: { target_shape: [5] } }];
    expect(() => checkTopology(topology(reshape), [4], DEFAULT_MODEL_LIMITS)).toThrow(
      expect.objectContaining({ code: 'MODEL_ARCHITECTURE_INVALID' }),
    );
  });
});
