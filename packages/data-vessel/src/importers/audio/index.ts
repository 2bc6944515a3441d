export { fftInPlace } from './fft.ts';
export { frameCount, type LogMelConfig, logMelInto, melFilterbank } from './log-mel.ts';
export { type MonoAudio, parseWav, resampleLinear } from './wav.ts';
