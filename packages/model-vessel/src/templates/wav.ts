import { AicError } from '@aic/core';

/** Mono audio samples in [-1, 1] and their rate. */
export interface Audio {
  readonly sampleRate: number;
  readonly samples: Float32Array;
}

const MAX_WAV_BYTES = 16 * 1024 * 1024;

function refuse(reason: string): never {
  throw new AicError('DATA_WAV_INVALID', reason);
}

/**
 * Decodes a 16-bit PCM RIFF/WAVE file (untrusted input: every chunk bound checked). Multi-channel audio is
 * averaged to mono. Throws DATA_WAV_INVALID.
 */
export function decodeWav(bytes: Uint8Array): Audio {
  if (bytes.length > MAX_WAV_BYTES) refuse('WAV file too large');
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const tag = (at: number) => String.fromCharCode(...bytes.subarray(at, at + 4));
  if (bytes.length < 12 || tag(0) !== 'RIFF' || tag(8) !== 'WAVE') refuse('not a RIFF/WAVE file');
  let format: { channels: number; sampleRate: number; bits: number } | undefined;
  for (let at = 12; at + 8 <= bytes.length; ) {
    const size = view.getUint32(at + 4, true);
    if (at + 8 + size > bytes.length) refuse(`chunk ${tag(at)} runs past the end`);
    if (tag(at) === 'fmt ') {
      if (size < 16 || view.getUint16(at + 8, true) !== 1) refuse('only PCM WAV is supported');
      format = {
        channels: view.getUint16(at + 10, true),
        sampleRate: view.getUint32(at + 12, true),
        bits: view.getUint16(at + 22, true),
      };
    } else if (tag(at) === 'data') {
      if (format?.bits !== 16 || format.channels < 1) refuse('only 16-bit PCM with a fmt chunk first');
      const frames = Math.floor(size / (2 * format.channels));
      const samples = new Float32Array(frames);
      for (let i = 0; i < frames; i++) {
        let sum = 0;
        for (let c = 0; c < format.channels; c++) sum += view.getInt16(at + 8 + 2 * (i * format.channels + c), true);
        samples[i] = sum / format.channels / 32768;
      }
      return { sampleRate: format.sampleRate, samples };
    }
    at += 8 + size + (size % 2);
  }
  return refuse('no data chunk');
}

/** Encodes mono samples as a 16-bit PCM WAV file. */
export function encodeWav(audio: Audio): Uint8Array {
  const n = audio.samples.length;
  const out = new Uint8Array(44 + 2 * n);
  const view = new DataView(out.buffer);
  const text = (at: number, s: string) =>
    out.set(
      Array.from(s, (c) => c.charCodeAt(0)),
      at,
    );
  text(0, 'RIFF');
  view.setUint32(4, 36 + 2 * n, true);
  text(8, 'WAVEfmt ');
  view.setUint32(16, 16, true);
  view.setUint16(20, 1, true);
  view.setUint16(22, 1, true);
  view.setUint32(24, audio.sampleRate, true);
  view.setUint32(28, 2 * audio.sampleRate, true);
  view.setUint16(32, 2, true);
  view.setUint16(34, 16, true);
  text(36, 'data');
  view.setUint32(40, 2 * n, true);
  for (let i = 0; i < n; i++)
    view.setInt16(44 + 2 * i, Math.round(Math.max(-1, Math.min(1, audio.samples[i] ?? 0)) * 32767), true);
  return out;
}

/**
 * Log band energies: frames of 256 samples every 128, energy at 16 log-spaced frequencies (Goertzel) from 150 Hz to
 * 3.5 kHz, log(1 + e). Returns [frames × 16] row-major.
 */
export function logBandEnergies(audio: Audio, frames: number, bands = 16): Float32Array {
  const size = 256;
  const hop = 128;
  const out = new Float32Array(frames * bands);
  for (let b = 0; b < bands; b++) {
    const freq = 150 * (3500 / 150) ** (b / (bands - 1));
    const coeff = 2 * Math.cos((2 * Math.PI * freq) / audio.sampleRate);
    for (let f = 0; f < frames; f++) {
      let s1 = 0;
      let s2 = 0;
      for (let i = 0; i < size; i++) {
        const s0 = (audio.samples[f * hop + i] ?? 0) + coeff * s1 - s2;
        s2 = s1;
        s1 = s0;
      }
      out[f * bands + b] = Math.log1p((s1 * s1 + s2 * s2 - coeff * s1 * s2) / size);
    }
  }
  return out;
}
