import { AicError } from '@aic/core';

/** Decoded audio: mono samples in [-1, 1] and their rate. */
export interface MonoAudio {
  readonly sampleRateHz: number;
  readonly samples: Float32Array;
}

const FORMAT_PCM = 1;
const FORMAT_FLOAT = 3;
const FORMAT_EXTENSIBLE = 0xfffe;

interface WavFormat {
  readonly format: number;
  readonly channels: number;
  readonly sampleRateHz: number;
  readonly bitsPerSample: number;
}

function wavError(name: string, reason: string): AicError {
  return new AicError('DATA_WAV_INVALID', `${name}: ${reason}`, { details: { name, reason } });
}

const fourCc = (view: DataView, at: number) =>
  String.fromCharCode(view.getUint8(at), view.getUint8(at + 1), view.getUint8(at + 2), view.getUint8(at + 3));

function readFormat(view: DataView, at: number, size: number, name: string): WavFormat {
  if (size < 16) throw wavError(name, 'fmt chunk is shorter than 16 bytes');
  let format = view.getUint16(at, true);
  if (format === FORMAT_EXTENSIBLE && size >= 26) format = view.getUint16(at + 24, true);
  const fmt = {
    format,
    channels: view.getUint16(at + 2, true),
    sampleRateHz: view.getUint32(at + 4, true),
    bitsPerSample: view.getUint16(at + 14, true),
  };
  const pcm = format === FORMAT_PCM && [8, 16, 24, 32].includes(fmt.bitsPerSample);
  const float = format === FORMAT_FLOAT && [32, 64].includes(fmt.bitsPerSample);
  if (!pcm && !float) throw wavError(name, `format ${format} with ${fmt.bitsPerSample} bits is not supported`);
  if (fmt.channels < 1 || fmt.sampleRateHz < 1) throw wavError(name, 'no channels or a zero sample rate');
  return fmt;
}

function sampleAt(view: DataView, at: number, fmt: WavFormat): number {
  if (fmt.format === FORMAT_FLOAT)
    return fmt.bitsPerSample === 32 ? view.getFloat32(at, true) : view.getFloat64(at, true);
  switch (fmt.bitsPerSample) {
    case 8:
      return (view.getUint8(at) - 128) / 128;
    case 16:
      return view.getInt16(at, true) / 32768;
    case 24:
      return ((view.getUint8(at) | (view.getUint8(at + 1) << 8) | (view.getInt8(at + 2) << 16)) as number) / 8388608;
    default:
      return view.getInt32(at, true) / 2147483648;
  }
}

function toMono(view: DataView, at: number, size: number, fmt: WavFormat): Float32Array {
  const bytes = fmt.bitsPerSample / 8;
  const frames = Math.floor(size / (bytes * fmt.channels));
  const out = new Float32Array(frames);
  for (let i = 0; i < frames; i++) {
    let sum = 0;
    for (let c = 0; c < fmt.channels; c++) sum += sampleAt(view, at + (i * fmt.channels + c) * bytes, fmt);
    out[i] = sum / fmt.channels;
  }
  return out;
}

/**
 * Parses a RIFF/WAVE file (PCM 8/16/24/32-bit or IEEE float 32/64, any channel count, WAVE_FORMAT_EXTENSIBLE too)
 * into mono samples (channels averaged). Chunks are bounds-checked; a truncated data chunk is read up to the end of
 * the file. Throws DATA_WAV_INVALID naming the file.
 */
export function parseWav(bytes: Uint8Array, name = 'audio'): MonoAudio {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.length);
  if (bytes.length < 12 || fourCc(view, 0) !== 'RIFF' || fourCc(view, 8) !== 'WAVE') {
    throw wavError(name, 'not a RIFF/WAVE file');
  }
  let fmt: WavFormat | undefined;
  for (let at = 12; at + 8 <= bytes.length; ) {
    const id = fourCc(view, at);
    const size = view.getUint32(at + 4, true);
    const body = at + 8;
    if (id === 'fmt ') fmt = readFormat(view, body, Math.min(size, bytes.length - body), name);
    if (id === 'data') {
      if (!fmt) throw wavError(name, 'data chunk before the fmt chunk');
      return { sampleRateHz: fmt.sampleRateHz, samples: toMono(view, body, Math.min(size, bytes.length - body), fmt) };
    }
    at = body + size + (size % 2);
  }
  throw wavError(name, 'no data chunk');
}

/** Linear-interpolation resampling (enough for log-mel features; not for listening). */
export function resampleLinear(audio: MonoAudio, targetRateHz: number): Float32Array {
  if (audio.sampleRateHz === targetRateHz) return audio.samples;
  const { samples } = audio;
  const length = Math.floor((samples.length * targetRateHz) / audio.sampleRateHz);
  const out = new Float32Array(length);
  const step = audio.sampleRateHz / targetRateHz;
  for (let i = 0; i < length; i++) {
    const x = i * step;
    const i0 = Math.floor(x);
    const a = samples[i0] ?? 0;
    out[i] = a + ((samples[i0 + 1] ?? a) - a) * (x - i0);
  }
  return out;
}
