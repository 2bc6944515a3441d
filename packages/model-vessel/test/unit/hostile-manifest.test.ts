import { tensorFromArray, writeSafetensors } from '@aic/core/safetensors';
import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import {
  DEFAULT_MODEL_LIMITS,
  irisTemplate,
  loadTrainedModel,
  type ModelManifest,
  resolveJob,
  trainJob,
  validateManifest,
  weightsFromSafetensors,
} from '../../src/index.ts';

type Layer = { class_name: string; config: Record<string, unknown> };
const base = irisTemplate.manifest;
const code = (c: string) => expect.objectContaining({ code: c });

function withLayers(layers: Layer[], patch: Partial<ModelManifest> = {}): unknown {
  const m = structuredClone(base) as ModelManifest;
  (m.architecture.modelTopology as { config: { layers: Layer[] } }).config.layers = layers;
  return { ...m, ...patch };
}
const dense = (units: number, config: Record<string, unknown> = {}): Layer => ({
  class_name: 'Dense',
  config: { units, activation: 'relu', ...config },
});
const output = dense(3, { activation: 'softmax' });

describe('validateManifest accepts the templates', () => {
  it('passes a template manifest and reports parameters and FLOPs', () => {
    const { graph } = validateManifest(JSON.stringify(base));
    expect(graph.parameterCount).toBe(4 * 16 + 16 + 16 * 3 + 3);
    expect(graph.outputShape).toEqual([3]);
    expect(graph.flopsPerSample).toBeGreaterThan(0);
  });
});

describe('validateManifest refuses hostile manifests with a typed error and a path', () => {
  it('refuses unknown, custom and code-carrying layers', () => {
    for (const className of ['LSTM', 'Lambda', 'MyCustomLayer', 'TFOpLambda', '__proto__']) {
      const m = withLayers([{ class_name: className, config: { function: 'return process.exit(1)' } }, output]);
      expect(() => validateManifest(m), className).toThrow(code('MODEL_LAYER_NOT_ALLOWED'));
    }
    const functional = {
      ...structuredClone(base),
      architecture: { ...base.architecture, modelTopology: { class_name: 'Functional', config: {} } },
    };
    expect(() => validateManifest(functional)).toThrow(code('MODEL_LAYER_NOT_ALLOWED'));
  });

  it('refuses code or objects hidden in layer configs', () => {
    const cases: Layer[] = [
      dense(8, { activation: 'function (x) { return x }' }),
      dense(8, { kernel_initializer: { class_name: 'Custom>Evil', config: {} } }),
      dense(8, { kernel_regularizer: { class_name: 'L1L2', config: { l1: 0.1 } } }),
      dense(8, { kernel_constraint: { class_name: 'MaxNorm', config: {} } }),
      dense(8, { custom_objects: { evil: 'x' } }),
      dense(8, { units: 'NaN' }),
      dense(8, { units: Number.NaN }),
    ];
    for (const layer of cases) {
      expect(() => validateManifest(withLayers([layer, output])), JSON.stringify(layer.config)).toThrow(
        code('MODEL_ARCHITECTURE_INVALID'),
      );
    }
  });

  it('refuses prototype keys in layer configs and hyperparameters', () => {
    const polluted = JSON.parse('{"units": 8, "__proto__": {"activation": "relu"}}') as Record<string, unknown>;
    expect(() => validateManifest(withLayers([{ class_name: 'Dense', config: polluted }, output]))).toThrow(
      code('MODEL_ARCHITECTURE_INVALID'),
    );
    const data = {
      features: new Float32Array(4),
      featureShape: [4],
      labels: new Float32Array(1),
      labelShape: [1],
      count: 1,
    };
    const overrides = JSON.parse('{"__proto__": 1, "constructor": 2}') as Record<string, number>;
    expect(() => resolveJob({ manifest: base, backend: 'cpu', seed: 1, hyperparameters: overrides }, data)).toThrow(
      code('MODEL_HYPERPARAMETER_INVALID'),
    );
  });

  it('names the path of the bad value', () => {
    try {
      validateManifest(withLayers([dense(8, { activation: 'evil' }), output]));
      expect.unreachable();
    } catch (error) {
      const issues = (error as { details: { issues: { path: string }[] } }).details.issues;
      expect(issues[0]?.path).toBe('architecture.modelTopology.config.layers[0].config.activation');
    }
  });

  it('refuses absurd sizes: parameters, activations, input, layer count', () => {
    expect(() => validateManifest(withLayers([dense(100_000_000), output]))).toThrow(code('MODEL_TOO_LARGE'));
    expect(() => validateManifest(withLayers([dense(10_000), dense(10_000), output]))).toThrow(code('MODEL_TOO_LARGE'));
    const many = Array.from({ length: 100 }, () => dense(4));
    expect(() => validateManifest(withLayers([...many, output]))).toThrow(code('MODEL_TOO_LARGE'));
    const m = structuredClone(base) as ModelManifest;
    m.inputs[0] = { ...(m.inputs[0] as ModelManifest['inputs'][number]), shape: [1_000_000, 1_000] };
    expect(() => validateManifest(m)).toThrow(code('MODEL_TOO_LARGE'));
  });

  it('refuses huge and deeply nested JSON before parsing it', () => {
    const huge = JSON.stringify({ ...base, description: 'x'.repeat(DEFAULT_MODEL_LIMITS.maxManifestBytes) });
    expect(() => validateManifest(huge)).toThrow(code('MODEL_JSON_TOO_LARGE'));
    const deep = `${'['.repeat(100_000)}${']'.repeat(100_000)}`; // would overflow a recursive parser's stack
    expect(() => validateManifest(deep)).toThrow(code('MODEL_JSON_TOO_DEEP'));
    const deepSmall = `{"a":${'['.repeat(1000)}${']'.repeat(1000)}}`;
    expect(() => validateManifest(deepSmall)).toThrow(code('MODEL_JSON_TOO_DEEP'));
    let nested: unknown = 1;
    for (let i = 0; i < 50; i++) nested = { n: nested };
    expect(() => validateManifest({ ...base, description: nested })).toThrow(code('MODEL_JSON_TOO_DEEP'));
    expect(() => validateManifest('{"schema": ')).toThrow(code('MODEL_JSON_INVALID'));
  });

  it('reports schema problems with their paths', () => {
    const m = { ...structuredClone(base), version: 'latest', inputs: [{ ...base.inputs[0], shape: [-4] }], extra: 1 };
    try {
      validateManifest(m);
      expect.unreachable();
    } catch (error) {
      expect(error).toMatchObject({ code: 'MODEL_MANIFEST_INVALID' });
      const paths = (error as { details: { issues: { path: string }[] } }).details.issues.map((i) => i.path);
      expect(paths).toEqual(expect.arrayContaining(['version', 'inputs[0].shape[0]', '']));
    }
  });

  it('refuses an output shape that the architecture does not produce', () => {
    expect(() => validateManifest(withLayers([dense(8), dense(5, { activation: 'softmax' })]))).toThrow(
      code('MODEL_MANIFEST_INVALID'),
    );
  });
});

describe('jobs and weights are refused before anything runs', () => {
  const data = {
    features: new Float32Array(8),
    featureShape: [4],
    labels: new Float32Array(2),
    labelShape: [1],
    count: 2,
  };

  it('refuses too many steps, unknown hyperparameters and NaN data; no tensor is created', async () => {
    const before = tf.memory().numTensors;
    const job = { manifest: base, backend: 'cpu' as const, seed: 1 };
    const limits = { ...DEFAULT_MODEL_LIMITS, maxSteps: 10 };
    expect(() => resolveJob({ ...job, hyperparameters: { epochs: 1000 } }, data, limits)).toThrow(
      code('MODEL_TOO_LARGE'),
    );
    expect(() => resolveJob({ ...job, hyperparameters: { evil: 1 } }, data)).toThrow(
      code('MODEL_HYPERPARAMETER_INVALID'),
    );
    expect(() => resolveJob({ ...job, hyperparameters: { batchSize: 0 } }, data)).toThrow(
      code('MODEL_HYPERPARAMETER_INVALID'),
    );
    const nan = { ...data, features: new Float32Array([1, 2, Number.NaN, 4, 5, 6, 7, 8]) };
    await expect(trainJob(job, nan)).rejects.toThrow(code('RUNTIME_DATA_INVALID'));
    await expect(
      trainJob({ ...job, manifest: withLayers([{ class_name: 'Lambda', config: {} }]) }, data),
    ).rejects.toThrow(code('MODEL_LAYER_NOT_ALLOWED'));
    expect(tf.memory().numTensors).toBe(before);
  });

  it('refuses layers the wasm backend cannot train', () => {
    const m = withLayers([
      { class_name: 'Reshape', config: { target_shape: [4, 1] } },
      { class_name: 'Conv1D', config: { filters: 2, kernel_size: 2 } },
      { class_name: 'Flatten', config: {} },
      output,
    ]);
    expect(() => resolveJob({ manifest: m, backend: 'wasm', seed: 1 }, data)).toThrow(
      code('RUNTIME_BACKEND_UNSUPPORTED'),
    );
  });

  it('refuses weights holding NaN or Infinity, and weights of the wrong shape', async () => {
    const file = (values: number[]) =>
      writeSafetensors({ 'weight/00000': tensorFromArray(new Float32Array(values), [values.length]) });
    expect(() => weightsFromSafetensors(file([1, Number.NaN]))).toThrow(code('MODEL_WEIGHTS_NOT_FINITE'));
    expect(() => weightsFromSafetensors(file([Number.POSITIVE_INFINITY]))).toThrow(code('MODEL_WEIGHTS_NOT_FINITE'));
    await expect(loadTrainedModel(base, file([1, 2]), 'cpu')).rejects.toThrow(code('MODEL_WEIGHTS_INVALID'));
  });

  it('reports the webgpu backend as unavailable without navigator.gpu', async () => {
    const { useBackend } = await import('../../src/index.ts');
    await expect(useBackend('webgpu')).rejects.toThrow(code('RUNTIME_BACKEND_UNAVAILABLE'));
  });
});
