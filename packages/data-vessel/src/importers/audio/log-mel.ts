import { fftInPlace } from './fft.ts';

/** Spectrogram parameters (recorded in the manifest's `preprocessing`). */
export interface LogMelConfig {
  readonly sampleRateHz: number;
  /** Samples per clip: shorter clips are zero-padded, longer ones cut. */
  readonly clipSamples: number;
  /** FFT frame length, a power of two. */
  readonly frameSamples: number;
  readonly hopSamples: number;
  readonly melBins: number;
}

const hzToMel = (hz: number) => 2595 * Math.log10(1 + hz / 700);
const melToHz = (mel: number) => 700 * (10 ** (mel / 2595) - 1);

/** Frames per clip. */
export function frameCount(config: LogMelConfig): number {
  return 1 + Math.max(0, Math.floor((config.clipSamples - config.frameSamples) / config.hopSamples));
}

/** Triangular HTK-mel filters from 0 Hz to Nyquist: `melBins` rows of `frameSamples / 2 + 1` weights. */
export function melFilterbank(config: LogMelConfig): Float64Array[] {
  const bins = config.frameSamples / 2 + 1;
  const top = hzToMel(config.sampleRateHz / 2);
  const edges = Array.from({ length: config.melBins + 2 }, (_, i) => melToHz((top * i) / (config.melBins + 1)));
  const binHz = config.sampleRateHz / config.frameSamples;
  return Array.from({ length: config.melBins }, (_, m) => {
    const [lo, mid, hi] = [edges[m] as number, edges[m + 1] as number, edges[m + 2] as number];
    return Float64Array.from({ length: bins }, (_, k) => {
      const hz = k * binHz;
      return hz <= lo || hz >= hi ? 0 : hz <= mid ? (hz - lo) / (mid - lo) : (hi - hz) / (hi - mid);
    });
  });
}

/** Periodic Hann window. */
function hann(n: number): Float64Array {
  return Float64Array.from({ length: n }, (_, i) => 0.5 - 0.5 * Math.cos((2 * Math.PI * i) / n));
}

/**
 * Log-mel spectrogram of one clip: [frames, melBins] values ln(mel energy + 1e-6), written into `out` at `offset`.
 * `filters` come from melFilterbank(config) (computed once per dataset).
 */
export function logMelInto(
  clip: Float32Array,
  config: LogMelConfig,
  filters: readonly Float64Array[],
  out: Float32Array,
  offset: number,
): void {
  const window = hann(config.frameSamples);
  const re = new Float64Array(config.frameSamples);
  const im = new Float64Array(config.frameSamples);
  const bins = config.frameSamples / 2 + 1;
  const power = new Float64Array(bins);
  for (let f = 0; f < frameCount(config); f++) {
    const start = f * config.hopSamples;
    for (let i = 0; i < config.frameSamples; i++) {
      const at = start + i;
      re[i] = (at < config.clipSamples ? (clip[at] ?? 0) : 0) * (window[i] as number);
      im[i] = 0;
    }
    fftInPlace(re, im);
    for (let k = 0; k < bins; k++) power[k] = (re[k] as number) ** 2 + (im[k] as number) ** 2;
    for (const [m, filter] of filters.entries()) {
      let energy = 0;
      for (let k = 0; k < bins; k++) energy += (filter[k] as number) * (power[k] as number);
      out[offset + f * config.melBins + m] = Math.log(energy + 1e-6);
    }
  }
}
