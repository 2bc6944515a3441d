/**
 * Vivaldi network coordinates (Dabek et al., SIGCOMM 2004), with the height vector and the adaptive timestep of
 * the paper and of HashiCorp Serf. Pure: no I/O, no clock; the caller passes RTT samples and a random source.
 *
 * Estimated RTT between two nodes = ‖a.vec − b.vec‖ + a.height + b.height (milliseconds).
 */

export interface VivaldiCoordinate {
  /** Position in `dimensions`-dimensional Euclidean space, in ms. */
  readonly vec: readonly number[];
  /** Access-link latency that no direction shortens, in ms. */
  readonly height: number;
  /** Local confidence: relative error estimate, 0 (sure) … maxError (unknown). */
  readonly error: number;
}

export interface VivaldiConfig {
  dimensions: number;
  /** Weight of a new sample in the error estimate (the paper's c_e). */
  errorGain: number;
  /** Timestep constant (the paper's c_c). */
  stepGain: number;
  maxError: number;
  minHeightMs: number;
}

export const DEFAULT_VIVALDI_CONFIG: Readonly<VivaldiConfig> = {
  dimensions: 3,
  errorGain: 0.25,
  stepGain: 0.25,
  maxError: 1.5,
  minHeightMs: 0.01,
};

/** The coordinate a node starts from: the origin, with maximal uncertainty. */
export function originCoordinate(config: Readonly<VivaldiConfig> = DEFAULT_VIVALDI_CONFIG): VivaldiCoordinate {
  return { vec: new Array<number>(config.dimensions).fill(0), height: config.minHeightMs, error: config.maxError };
}

/** Estimated round-trip time between two coordinates, in ms. */
export function estimateRttMs(a: VivaldiCoordinate, b: VivaldiCoordinate): number {
  return euclidean(a.vec, b.vec) + a.height + b.height;
}

/** True when `c` is a usable coordinate of the configured shape (finite, bounded) — check peers' claims with it. */
export function isValidCoordinate(
  c: VivaldiCoordinate,
  config: Readonly<VivaldiConfig> = DEFAULT_VIVALDI_CONFIG,
): boolean {
  const bounded = (x: number) => Number.isFinite(x) && Math.abs(x) <= 1e7;
  return (
    c.vec.length === config.dimensions &&
    c.vec.every(bounded) &&
    bounded(c.height) &&
    c.height >= 0 &&
    Number.isFinite(c.error) &&
    c.error >= 0 &&
    c.error <= config.maxError
  );
}

/**
 * Moves `local` after measuring `rttMs` to a node at `remote`: the spring between them pulls or pushes it by the
 * estimation error, weighted by how sure each side is. Returns a new coordinate; samples ≤ 0 are ignored.
 */
export function updateCoordinate(
  local: VivaldiCoordinate,
  remote: VivaldiCoordinate,
  rttMs: number,
  random: () => number,
  config: Readonly<VivaldiConfig> = DEFAULT_VIVALDI_CONFIG,
): VivaldiCoordinate {
  if (!(rttMs > 0) || !Number.isFinite(rttMs)) return local;
  const distance = estimateRttMs(local, remote);
  const weight = local.error / Math.max(local.error + remote.error, 1e-9);
  const sampleError = Math.abs(distance - rttMs) / rttMs;
  const error = Math.min(
    config.maxError,
    sampleError * config.errorGain * weight + local.error * (1 - config.errorGain * weight),
  );
  const force = config.stepGain * weight * (rttMs - distance);
  const { unit, magnitude } = unitVectorAway(local.vec, remote.vec, random);
  const vec = local.vec.map((x, i) => x + (unit[i] ?? 0) * force);
  // The height moves with the share it has in the distance, as in Serf's ApplyForce.
  const heightShare = magnitude > 1e-6 ? ((local.height + remote.height) * force) / magnitude : 0;
  const height = Math.max(config.minHeightMs, local.height + heightShare);
  return { vec, height, error };
}

/** Unit vector pointing from `to` toward `from`; a random direction when they coincide. */
function unitVectorAway(
  from: readonly number[],
  to: readonly number[],
  random: () => number,
): { unit: number[]; magnitude: number } {
  const diff = from.map((x, i) => x - (to[i] ?? 0));
  const magnitude = norm(diff);
  if (magnitude > 1e-6) return { unit: diff.map((x) => x / magnitude), magnitude };
  const randomDir = from.map(() => random() - 0.5);
  const randomNorm = norm(randomDir) || 1;
  return { unit: randomDir.map((x) => x / randomNorm), magnitude: 0 };
}

function euclidean(a: readonly number[], b: readonly number[]): number {
  return norm(a.map((x, i) => x - (b[i] ?? 0)));
}

function norm(v: readonly number[]): number {
  return Math.sqrt(v.reduce((sum, x) => sum + x * x, 0));
}
