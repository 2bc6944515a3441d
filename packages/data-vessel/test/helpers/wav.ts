/** Writes a WAV file (PCM 8/16/24/32 or float 32) from per-channel samples in [-1, 1]. Test-only. */
export function wavOf(
  channels: readonly Float32Array[],
  sampleRateHz: number,
  bitsPerSample: 8 | 16 | 24 | 32 = 16,
  float = false,
): Uint8Array {
  const frames = channels[0]?.length ?? 0;
  const bytes = bitsPerSample / 8;
  const dataSize = frames * channels.length * bytes;
  const out = new Uint8Array(44 + dataSize);
  const view = new DataView(out.buffer);
  const ascii = (at: number, s: string) => {
    for (let i = 0; i < 4; i++) out[at + i] = s.charCodeAt(i);
  };
  ascii(0, 'RIFF');
  view.setUint32(4, 36 + dataSize, true);
  ascii(8, 'WAVE');
  ascii(12, 'fmt ');
  view.setUint32(16, 16, true);
  view.setUint16(20, float ? 3 : 1, true);
  view.setUint16(22, channels.length, true);
  view.setUint32(24, sampleRateHz, true);
  view.setUint32(28, sampleRateHz * channels.length * bytes, true);
  view.setUint16(32, channels.length * bytes, true);
  view.setUint16(34, bitsPerSample, true);
  ascii(36, 'data');
  view.setUint32(40, dataSize, true);
  for (let i = 0; i < frames; i++) {
    for (const [c, samples] of channels.entries()) {
      const at = 44 + (i * channels.length + c) * bytes;
      const v = Math.max(-1, Math.min(1, samples[i] as number));
      if (float) view.setFloat32(at, v, true);
      else if (bitsPerSample === 8) view.setUint8(at, Math.round(v * 127) + 128);
      else if (bitsPerSample === 16) view.setInt16(at, Math.round(v * 32767), true);
      else if (bitsPerSample === 24) {
        const x = Math.round(v * 8388607);
        view.setUint8(at, x & 0xff);
        view.setUint8(at + 1, (x >> 8) & 0xff);
        view.setInt8(at + 2, x >> 16);
      } else view.setInt32(at, Math.round(v * 2147483647), true);
    }
  }
  return out;
}

/** A sine tone. */
export function tone(
  frequencyHz: number,
  seconds: number,
  sampleRateHz: number,
  amplitude = 0.5,
  phase = 0,
): Float32Array {
  return Float32Array.from(
    { length: Math.round(seconds * sampleRateHz) },
    (_, i) => amplitude * Math.sin(phase + (2 * Math.PI * frequencyHz * i) / sampleRateHz),
  );
}
