/**
 * The allow-list of the security boundary: the only layer types, config keys, activations and initializers a model
 * may use. Anything else (unknown layers, Lambda/custom layers, regularizers, constraints, unknown keys) is refused.
 * Keys are the Keras/TensorFlow.js `modelTopology` spelling (snake_case), as `model.toJSON()` writes them.
 */

export const ALLOWED_ACTIVATIONS = [
  'linear',
  'relu',
  'relu6',
  'elu',
  'selu',
  'sigmoid',
  'hard_sigmoid',
  'tanh',
  'softmax',
  'softplus',
  'softsign',
  'swish',
] as const;

/** Initializer class names (Keras spelling) with the config keys each accepts. `seed` is always overwritten. */
export const ALLOWED_INITIALIZERS: Readonly<Record<string, readonly string[]>> = {
  GlorotUniform: ['seed'],
  GlorotNormal: ['seed'],
  HeUniform: ['seed'],
  HeNormal: ['seed'],
  LeCunUniform: ['seed'],
  LeCunNormal: ['seed'],
  Zeros: [],
  Ones: [],
  Constant: ['value'],
  RandomUniform: ['minval', 'maxval', 'seed'],
  RandomNormal: ['mean', 'stddev', 'seed'],
  TruncatedNormal: ['mean', 'stddev', 'seed'],
};

/** What a config key's value must be. */
export type KeyKind =
  | 'name'
  | 'bool'
  | 'float32'
  | 'posInt'
  | 'size1'
  | 'size2'
  | 'activation'
  | 'initializer'
  | 'padding'
  | 'channelsLast'
  | 'rate'
  | 'positive'
  | 'fraction'
  | 'lastAxis'
  | 'shape'
  | 'ignored';

const COMMON: Record<string, KeyKind> = {
  name: 'name',
  trainable: 'bool',
  dtype: 'float32',
  batch_input_shape: 'ignored', // checked by the topology walker (first layer only)
  input_shape: 'ignored',
};
const DENSE_LIKE: Record<string, KeyKind> = {
  activation: 'activation',
  use_bias: 'bool',
  kernel_initializer: 'initializer',
  bias_initializer: 'initializer',
  kernel_regularizer: 'ignored', // must be null; checked below
  bias_regularizer: 'ignored',
  activity_regularizer: 'ignored',
  kernel_constraint: 'ignored',
  bias_constraint: 'ignored',
};
const POOL: Record<string, KeyKind> = { padding: 'padding', data_format: 'channelsLast' };

/** Allowed layer class names and their config keys. */
export const ALLOWED_LAYERS: Readonly<Record<string, Readonly<Record<string, KeyKind>>>> = {
  Dense: { ...COMMON, ...DENSE_LIKE, units: 'posInt' },
  Conv1D: {
    ...COMMON,
    ...DENSE_LIKE,
    filters: 'posInt',
    kernel_size: 'size1',
    strides: 'size1',
    padding: 'padding',
    data_format: 'channelsLast',
    dilation_rate: 'ignored',
  },
  Conv2D: {
    ...COMMON,
    ...DENSE_LIKE,
    filters: 'posInt',
    kernel_size: 'size2',
    strides: 'size2',
    padding: 'padding',
    data_format: 'channelsLast',
    dilation_rate: 'ignored',
  },
  MaxPooling1D: { ...COMMON, ...POOL, pool_size: 'size1', strides: 'size1' },
  AveragePooling1D: { ...COMMON, ...POOL, pool_size: 'size1', strides: 'size1' },
  MaxPooling2D: { ...COMMON, ...POOL, pool_size: 'size2', strides: 'size2' },
  AveragePooling2D: { ...COMMON, ...POOL, pool_size: 'size2', strides: 'size2' },
  GlobalAveragePooling1D: { ...COMMON, data_format: 'channelsLast' },
  GlobalMaxPooling1D: { ...COMMON, data_format: 'channelsLast' },
  GlobalAveragePooling2D: { ...COMMON, data_format: 'channelsLast' },
  GlobalMaxPooling2D: { ...COMMON, data_format: 'channelsLast' },
  Flatten: { ...COMMON, data_format: 'channelsLast' },
  Reshape: { ...COMMON, target_shape: 'shape' },
  Dropout: { ...COMMON, rate: 'fraction', seed: 'ignored', noise_shape: 'ignored' },
  Activation: { ...COMMON, activation: 'activation' },
  Embedding: {
    ...COMMON,
    input_dim: 'posInt',
    output_dim: 'posInt',
    input_length: 'ignored',
    embeddings_initializer: 'initializer',
    embeddings_regularizer: 'ignored',
    activity_regularizer: 'ignored',
    embeddings_constraint: 'ignored',
    mask_zero: 'ignored',
  },
  BatchNormalization: {
    ...COMMON,
    axis: 'lastAxis',
    momentum: 'fraction',
    epsilon: 'positive',
    center: 'bool',
    scale: 'bool',
    beta_initializer: 'initializer',
    gamma_initializer: 'initializer',
    moving_mean_initializer: 'initializer',
    moving_variance_initializer: 'initializer',
    beta_regularizer: 'ignored',
    gamma_regularizer: 'ignored',
    beta_constraint: 'ignored',
    gamma_constraint: 'ignored',
  },
};

/**
 * Keys listed as 'ignored' are accepted only with a null/absent (or, for seeds, any numeric) value, so a topology
 * written by `model.toJSON()` passes while regularizer/constraint objects, masks and dilation are refused.
 */
export const IGNORED_KEY_ACCEPTS: Readonly<Record<string, (v: unknown) => boolean>> = {
  seed: (v) => v === null || typeof v === 'number',
  input_length: (v) => v === null || typeof v === 'number',
  mask_zero: (v) => v === false || v === null,
  dilation_rate: (v) => v === 1 || (Array.isArray(v) && v.every((d) => d === 1)),
  noise_shape: (v) => v === null,
};
