/** Static shape, parameter and FLOP inference for the allow-listed layers (per sample: no batch dimension). */

export interface LayerCost {
  readonly outputShape: number[];
  readonly parameters: number;
  readonly flops: number;
}

export class ShapeError {
  constructor(readonly reason: string) {}
}

type Args = Readonly<Record<string, unknown>>;

const product = (shape: readonly number[]) => shape.reduce((a, d) => a * d, 1);
const pair = (v: unknown, fallback: [number, number]): [number, number] =>
  Array.isArray(v) ? [v[0] as number, v[1] as number] : typeof v === 'number' ? [v, v] : fallback;

function requireRank(shape: readonly number[], rank: number, layer: string): void {
  if (shape.length !== rank) {
    throw new ShapeError(`${layer} needs a rank-${rank} input per sample, got [${shape.join(', ')}]`);
  }
}

function outLength(length: number, window: number, stride: number, padding: unknown): number {
  const out = padding === 'same' ? Math.ceil(length / stride) : Math.floor((length - window) / stride) + 1;
  if (out < 1) throw new ShapeError(`window ${window} does not fit input length ${length}`);
  return out;
}

function dense(shape: number[], a: Args): LayerCost {
  if (shape.length < 1) throw new ShapeError('Dense needs at least rank 1');
  const units = a.units as number;
  const d = shape[shape.length - 1] as number;
  const rows = product(shape.slice(0, -1));
  const bias = a.use_bias === false ? 0 : units;
  return { outputShape: [...shape.slice(0, -1), units], parameters: d * units + bias, flops: 2 * rows * d * units };
}

function conv(shape: number[], a: Args, rank: 1 | 2, name: string): LayerCost {
  requireRank(shape, rank + 1, name);
  const filters = a.filters as number;
  const kernel = rank === 1 ? [a.kernel_size as number] : pair(a.kernel_size, [1, 1]);
  const strides = rank === 1 ? [(a.strides as number | undefined) ?? 1] : pair(a.strides, [1, 1]);
  const spatial = kernel.map((k, i) => outLength(shape[i] as number, k, strides[i] as number, a.padding));
  const channels = shape[rank] as number;
  const window = product(kernel) * channels;
  const bias = a.use_bias === false ? 0 : filters;
  return {
    outputShape: [...spatial, filters],
    parameters: window * filters + bias,
    flops: 2 * window * filters * product(spatial),
  };
}

function pool(shape: number[], a: Args, rank: 1 | 2, name: string): LayerCost {
  requireRank(shape, rank + 1, name);
  const size = rank === 1 ? [(a.pool_size as number | undefined) ?? 2] : pair(a.pool_size, [2, 2]);
  const strides =
    a.strides === undefined || a.strides === null ? size : rank === 1 ? [a.strides as number] : pair(a.strides, [2, 2]);
  const spatial = size.map((k, i) => outLength(shape[i] as number, k, strides[i] as number, a.padding));
  const out = [...spatial, shape[rank] as number];
  return { outputShape: out, parameters: 0, flops: product(out) * product(size) };
}

function globalPool(shape: number[], rank: 1 | 2, name: string): LayerCost {
  requireRank(shape, rank + 1, name);
  return { outputShape: [shape[rank] as number], parameters: 0, flops: product(shape) };
}

/** Output shape, parameter count and forward FLOPs of one layer on one sample of `shape`. */
export function inferLayer(className: string, shape: number[], a: Args): LayerCost {
  const same = { outputShape: shape, parameters: 0, flops: product(shape) };
  switch (className) {
    case 'Dense':
      return dense(shape, a);
    case 'Conv1D':
      return conv(shape, a, 1, className);
    case 'Conv2D':
      return conv(shape, a, 2, className);
    case 'MaxPooling1D':
    case 'AveragePooling1D':
      return pool(shape, a, 1, className);
    case 'MaxPooling2D':
    case 'AveragePooling2D':
      return pool(shape, a, 2, className);
    case 'GlobalAveragePooling1D':
    case 'GlobalMaxPooling1D':
      return globalPool(shape, 1, className);
    case 'GlobalAveragePooling2D':
    case 'GlobalMaxPooling2D':
      return globalPool(shape, 2, className);
    case 'Flatten':
      return { outputShape: [product(shape)], parameters: 0, flops: 0 };
    case 'Reshape': {
      const target = a.target_shape as number[];
      if (product(target) !== product(shape)) throw new ShapeError(`cannot reshape [${shape}] to [${target}]`);
      return { outputShape: [...target], parameters: 0, flops: 0 };
    }
    case 'Dropout':
    case 'Activation':
      return same;
    case 'BatchNormalization': {
      // moving mean and variance always; beta and gamma unless center / scale are off
      const channels = shape[shape.length - 1] as number;
      const slots = 2 + (a.center === false ? 0 : 1) + (a.scale === false ? 0 : 1);
      return { ...same, parameters: slots * channels, flops: 4 * product(shape) };
    }
    case 'Embedding': {
      requireRank(shape, 1, className);
      const out = [shape[0] as number, a.output_dim as number];
      return { outputShape: out, parameters: (a.input_dim as number) * (a.output_dim as number), flops: product(out) };
    }
    default:
      throw new ShapeError(`no shape rule for ${className}`);
  }
}
