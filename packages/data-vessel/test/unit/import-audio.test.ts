import { describe, expect, it } from 'vitest';
import {
  fftInPlace,
  importWav,
  type LabelledFile,
  parseDatasetManifest,
  parseWav,
  readShard,
} from '../../src/index.ts';
import { tone, wavOf } from '../helpers/wav.ts';

const publish = { license: 'CC0-1.0', pricePerUseWei: 3n, testFraction: 0 };

function toneClips(): LabelledFile[] {
  const files: LabelledFile[] = [];
  for (let i = 0; i < 3; i++) {
    files.push({ label: 'low', name: `${i}.wav`, bytes: wavOf([tone(440, 0.5, 16_000, 0.3 + i * 0.2, i)], 16_000) });
    // the high tones are recorded at 8 kHz stereo, so resampling and down-mixing are exercised too
    const high = tone(2000, 0.5, 8000, 0.3 + i * 0.2, i);
    files.push({ label: 'high', name: `${i}.wav`, bytes: wavOf([high, high], 8000) });
  }
  return files;
}

/** The mel bin with the most energy in a clip, after undoing the per-bin z-score with the manifest's statistics. */
function dominantBin(features: Float32Array, row: number, stats: { mean: number[]; std: number[] }): number {
  const [frames, bins] = [30, 40];
  const mean = new Array<number>(bins).fill(0);
  for (let f = 0; f < frames; f++) {
    for (let m = 0; m < bins; m++) {
      const z = features[(row * frames + f) * bins + m] as number;
      mean[m] = (mean[m] as number) + z * (stats.std[m] as number) + (stats.mean[m] as number);
    }
  }
  return mean.indexOf(Math.max(...mean));
}

describe('audio WAV importer', () => {
  it('turns tones of different pitch into log-mel spectrograms that tell the classes apart', () => {
    const { manifest, shards } = importWav(toneClips(), { name: 'tones', clipSamples: 8000, ...publish });
    expect(parseDatasetManifest(manifest)).toEqual(manifest);
    expect(manifest.features.shape).toEqual([30, 40]); // 1 + (8000 − 512) / 256 frames, 40 mel bins
    expect(manifest.classes).toEqual(['high', 'low']);
    const { features, labels } = readShard(shards[0]!);
    if (manifest.normalization.kind !== 'zscore') throw new Error('expected per-bin statistics');
    const stats = manifest.normalization;
    expect(stats.mean).toHaveLength(40);
    const bins = Array.from(labels, (_, row) => dominantBin(features as Float32Array, row, stats));
    const high = bins.filter((_, r) => labels[r] === 0);
    const low = bins.filter((_, r) => labels[r] === 1);
    expect(Math.min(...high)).toBeGreaterThan(Math.max(...low));
  });

  it('computes an FFT peak at the tone frequency', () => {
    const re = Float64Array.from({ length: 64 }, (_, i) => Math.cos((2 * Math.PI * 4 * i) / 64));
    const im = new Float64Array(64);
    fftInPlace(re, im);
    expect(re[4]).toBeCloseTo(32, 9);
    expect(Math.abs(re[5] as number)).toBeLessThan(1e-9);
    expect(() => fftInPlace(new Float64Array(6), new Float64Array(6))).toThrow(
      expect.objectContaining({ code: 'DATA_FFT_SIZE' }),
    );
  });

  it('reads 8-, 16-, 24- and 32-bit PCM and float WAV alike', () => {
    const signal = tone(100, 0.01, 8000, 0.5);
    for (const [bits, float, tolerance] of [
      [8, false, 0.01],
      [16, false, 1e-4],
      [24, false, 1e-6],
      [32, false, 1e-6],
      [32, true, 1e-7],
    ] as const) {
      const { samples, sampleRateHz } = parseWav(wavOf([signal], 8000, bits, float));
      expect(sampleRateHz).toBe(8000);
      expect(samples).toHaveLength(signal.length);
      for (let i = 0; i < signal.length; i++)
        expect(Math.abs((samples[i] as number) - (signal[i] as number))).toBeLessThan(tolerance);
    }
  });

  it('rejects bad files and settings with typed errors', () => {
    expect(() => parseWav(new TextEncoder().encode('RIFX....WAVE'))).toThrow(
      expect.objectContaining({ code: 'DATA_WAV_INVALID' }),
    );
    const adpcm = wavOf([tone(100, 0.01, 8000)], 8000);
    new DataView(adpcm.buffer).setUint16(20, 2, true);
    expect(() => parseWav(adpcm, 'a.wav')).toThrow(
      expect.objectContaining({ code: 'DATA_WAV_INVALID', message: expect.stringContaining('a.wav') }),
    );
    expect(() => parseWav(wavOf([tone(100, 0.01, 8000)], 8000).slice(0, 30))).toThrow(
      expect.objectContaining({ code: 'DATA_WAV_INVALID' }),
    );
    expect(() => importWav(toneClips(), { name: 't', frameSamples: 500, ...publish })).toThrow(
      expect.objectContaining({ code: 'DATA_AUDIO_CONFIG_INVALID' }),
    );
  });
});
