import { AicError } from '@aic/core';
import type { ModelLimits } from '../limits.ts';
import { ALLOWED_LAYERS } from './allow-list.ts';
import { ConfigValueError, checkConfigValue } from './config-values.ts';
import { inferLayer, ShapeError } from './shapes.ts';

/** One layer that passed the allow-list: normalized config (Keras key names) and inferred output shape. */
export interface CheckedLayer {
  readonly className: string;
  readonly config: Readonly<Record<string, unknown>>;
  readonly outputShape: readonly number[];
  readonly parameters: number;
}

/** A Sequential graph that passed the security boundary, with its static costs. */
export interface CheckedGraph {
  readonly inputShape: readonly number[];
  readonly outputShape: readonly number[];
  readonly layers: readonly CheckedLayer[];
  readonly parameterCount: number;
  readonly flopsPerSample: number;
  readonly maxActivationElements: number;
}

const TOP_KEYS = new Set(['class_name', 'config', 'keras_version', 'backend']);
const isRecord = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);

function refuse(code: string, path: string, reason: string): never {
  throw new AicError(code, `${path}: ${reason}`, { details: { issues: [{ path, reason }] } });
}

function layerList(topology: unknown): unknown[] {
  if (!isRecord(topology)) refuse('MODEL_ARCHITECTURE_INVALID', 'modelTopology', 'must be an object');
  for (const key of Object.keys(topology)) {
    if (!TOP_KEYS.has(key)) refuse('MODEL_ARCHITECTURE_INVALID', `modelTopology.${key}`, 'unknown key');
  }
  if (topology.class_name !== 'Sequential') {
    refuse('MODEL_LAYER_NOT_ALLOWED', 'modelTopology.class_name', 'only Sequential models are allowed');
  }
  const config = topology.config;
  const layers = Array.isArray(config) ? config : isRecord(config) ? config.layers : undefined;
  if (isRecord(config)) {
    for (const key of Object.keys(config)) {
      if (key !== 'name' && key !== 'layers')
        refuse('MODEL_ARCHITECTURE_INVALID', `modelTopology.config.${key}`, 'unknown key');
    }
  }
  if (!Array.isArray(layers) || layers.length === 0) {
    refuse('MODEL_ARCHITECTURE_INVALID', 'modelTopology.config.layers', 'must be a non-empty array');
  }
  return layers;
}

function declaredInputShape(config: Record<string, unknown>, path: string): number[] | undefined {
  const batch = config.batch_input_shape;
  const plain = config.input_shape;
  const shape = Array.isArray(batch) ? batch.slice(1) : Array.isArray(plain) ? plain : undefined;
  if (shape === undefined) return undefined;
  if (!shape.every((d) => typeof d === 'number' && Number.isSafeInteger(d) && d > 0)) {
    refuse('MODEL_ARCHITECTURE_INVALID', `${path}.batch_input_shape`, 'dimensions must be positive integers');
  }
  return shape as number[];
}

function checkLayerConfig(className: string, raw: unknown, path: string): Record<string, unknown> {
  if (!isRecord(raw)) refuse('MODEL_ARCHITECTURE_INVALID', path, 'layer config must be an object');
  const allowed = ALLOWED_LAYERS[className] ?? {};
  const config: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(raw)) {
    // own keys only: "__proto__" or "constructor" must not resolve through the prototype chain
    const kind = Object.hasOwn(allowed, key) ? allowed[key] : undefined;
    if (kind === undefined)
      refuse('MODEL_ARCHITECTURE_INVALID', `${path}.${key}`, `${className} does not accept ${key}`);
    try {
      const normalized = checkConfigValue(kind, key, value);
      if (normalized !== undefined) config[key] = normalized;
    } catch (error) {
      if (error instanceof ConfigValueError) refuse('MODEL_ARCHITECTURE_INVALID', `${path}.${key}`, error.reason);
      throw error;
    }
  }
  return config;
}

function checkLimit(value: number, limit: number, path: string, what: string): void {
  if (!(value <= limit)) refuse('MODEL_TOO_LARGE', path, `${what} ${value} exceeds the limit of ${limit}`);
}

/**
 * Checks a Keras/TensorFlow.js `modelTopology` against the allow-list and the limits, and infers every layer's
 * shape, the parameter count and a FLOPs estimate, without building anything.
 * `inputShape` is the manifest's per-sample input shape. Throws AicError MODEL_LAYER_NOT_ALLOWED,
 * MODEL_ARCHITECTURE_INVALID or MODEL_TOO_LARGE with `details.issues = [{ path, reason }]`.
 */
export function checkTopology(topology: unknown, inputShape: readonly number[], limits: ModelLimits): CheckedGraph {
  const rawLayers = layerList(topology);
  checkLimit(rawLayers.length, limits.maxLayers, 'modelTopology.config.layers', 'layer count');
  const inputElements = inputShape.reduce((a, d) => a * d, 1);
  checkLimit(inputElements, limits.maxInputElements, 'inputs[0].shape', 'input elements');
  let shape = [...inputShape];
  let parameterCount = 0;
  let flopsPerSample = 0;
  let maxActivationElements = inputElements;
  const layers: CheckedLayer[] = [];
  for (const [i, raw] of rawLayers.entries()) {
    const path = `modelTopology.config.layers[${i}]`;
    if (!isRecord(raw)) refuse('MODEL_ARCHITECTURE_INVALID', path, 'layer must be an object');
    const className = raw.class_name;
    if (typeof className !== 'string' || !Object.hasOwn(ALLOWED_LAYERS, className)) {
      refuse('MODEL_LAYER_NOT_ALLOWED', `${path}.class_name`, `layer type ${JSON.stringify(className)} is not allowed`);
    }
    const declared = isRecord(raw.config) ? declaredInputShape(raw.config, `${path}.config`) : undefined;
    if (declared !== undefined && (i > 0 || declared.join() !== inputShape.join())) {
      refuse(
        'MODEL_ARCHITECTURE_INVALID',
        `${path}.config.batch_input_shape`,
        `must be [null, ${inputShape}] on the first layer only`,
      );
    }
    const config = checkLayerConfig(className, raw.config ?? {}, `${path}.config`);
    let cost: ReturnType<typeof inferLayer>;
    try {
      cost = inferLayer(className, shape, config);
    } catch (error) {
      if (error instanceof ShapeError) refuse('MODEL_ARCHITECTURE_INVALID', path, error.reason);
      throw error;
    }
    parameterCount += cost.parameters;
    flopsPerSample += cost.flops;
    const elements = cost.outputShape.reduce((a, d) => a * d, 1);
    maxActivationElements = Math.max(maxActivationElements, elements);
    checkLimit(parameterCount, limits.maxParameters, path, 'parameter count');
    checkLimit(elements, limits.maxActivationElements, path, 'activation elements');
    checkLimit(flopsPerSample, limits.maxFlopsPerSample, path, 'FLOPs per sample');
    layers.push({ className, config, outputShape: cost.outputShape, parameters: cost.parameters });
    shape = cost.outputShape;
  }
  return {
    inputShape: [...inputShape],
    outputShape: shape,
    layers,
    parameterCount,
    flopsPerSample,
    maxActivationElements,
  };
}
