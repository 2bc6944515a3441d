import { z } from 'zod';

/** The tasks of the white paper's application areas. */
export const MODEL_TASKS = [
  'image-classification',
  'text-classification',
  'text-matching',
  'speech-commands',
  'tabular-classification',
  'tabular-regression',
] as const;

export const LOSSES = [
  'sparseCategoricalCrossentropy',
  'categoricalCrossentropy',
  'binaryCrossentropy',
  'meanSquaredError',
] as const;

const dim = z.number().int().positive().max(1_048_576);
const tensorSpec = z.strictObject({
  name: z.string().regex(/^[A-Za-z][A-Za-z0-9_]{0,63}$/),
  dtype: z.enum(['float32', 'int32']),
  /** Per-sample shape, without the batch dimension. */
  shape: z.array(dim).min(1).max(8),
  meaning: z.string().min(1).max(500),
  /** Class names, index = class id (classification outputs). */
  labels: z.array(z.string().max(100)).max(10_000).optional(),
});

const hyperparameter = z.strictObject({
  type: z.enum(['number', 'integer', 'string', 'boolean']),
  default: z.union([z.number(), z.string(), z.boolean()]),
  minimum: z.number().optional(),
  maximum: z.number().optional(),
  enum: z
    .array(z.union([z.number(), z.string()]))
    .max(100)
    .optional(),
  description: z.string().max(500).optional(),
});

/** Hyperparameters as a (small, closed) JSON Schema: an object of typed properties with defaults. */
const hyperparameterSchema = z.strictObject({
  type: z.literal('object'),
  properties: z.record(z.string().regex(/^[A-Za-z][A-Za-z0-9_]{0,63}$/), hyperparameter),
  additionalProperties: z.literal(false),
});

const cidString = z.string().regex(/^b[a-z2-7]{20,120}$/, 'must be a base32 CIDv1 string');
const decimalWei = z.string().regex(/^(0|[1-9][0-9]{0,77})$/, 'must be a decimal integer amount in wei');

/** The model manifest: everything a buyer, a provider and a verifier need to know about a model. */
export const modelManifestSchema = z.strictObject({
  schema: z.literal('aic-model/1'),
  name: z.string().regex(/^[a-z0-9][a-z0-9-]{0,63}$/, 'lower-case letters, digits and dashes'),
  version: z.string().regex(/^\d+\.\d+\.\d+$/, 'must be a semantic version x.y.z'),
  task: z.enum(MODEL_TASKS),
  description: z.string().max(2000).optional(),
  inputs: z.array(tensorSpec).length(1),
  outputs: z.array(tensorSpec).length(1),
  architecture: z.strictObject({
    format: z.literal('tfjs-layers'),
    /** Keras / TensorFlow.js `modelTopology` JSON; checked by the allow-list, not by this schema. */
    modelTopology: z.unknown(),
    loss: z.enum(LOSSES),
  }),
  hyperparameters: hyperparameterSchema,
  runtime: z.strictObject({
    engine: z.literal('tensorflowjs'),
    engineVersion: z.string().max(32),
    backends: z.array(z.enum(['cpu', 'wasm', 'webgpu'])).min(1),
  }),
  hardware: z.strictObject({
    minMemoryBytes: z.number().int().nonnegative(),
    flopsPerSample: z.number().nonnegative(),
    gpu: z.enum(['none', 'optional', 'required']),
  }),
  weights: z.strictObject({ cid: cidString, format: z.literal('safetensors') }).optional(),
  metrics: z
    .array(
      z.strictObject({
        name: z.string().max(64),
        split: z.string().max(64),
        value: z.number(),
        dataset: z.string().max(200).optional(),
      }),
    )
    .max(64),
  license: z.string().min(1).max(100),
  pricePerCallWei: decimalWei,
  lineage: z.strictObject({
    parents: z
      .array(
        z.strictObject({
          kind: z.enum(['model', 'dataset']),
          id: z.string().min(1).max(200),
          shareBps: z.number().int().min(0).max(10_000),
        }),
      )
      .max(32),
  }),
});

export type ModelManifest = z.infer<typeof modelManifestSchema>;
export type ModelTask = (typeof MODEL_TASKS)[number];
export type ModelLoss = (typeof LOSSES)[number];
