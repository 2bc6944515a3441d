import { AicError } from '@aic/core';
import { buildDataset, type ImportedDataset, type PublishOptions } from '../digitize/index.ts';
import { frameCount, type LogMelConfig, logMelInto, melFilterbank, parseWav, resampleLinear } from './audio/index.ts';
import { classIdsOf, type LabelledFile } from './labelled-file.ts';

/** How to digitize class-per-folder WAV clips. Defaults: 16 kHz, 1 s clips, 512-sample frames, hop 256, 40 mel bins. */
export interface AudioImportOptions extends PublishOptions, Partial<LogMelConfig> {
  readonly name: string;
  readonly description?: string;
}

function configOf(options: AudioImportOptions): LogMelConfig {
  const sampleRateHz = options.sampleRateHz ?? 16_000;
  const config = {
    sampleRateHz,
    clipSamples: options.clipSamples ?? sampleRateHz,
    frameSamples: options.frameSamples ?? 512,
    hopSamples: options.hopSamples ?? 256,
    melBins: options.melBins ?? 40,
  };
  const { frameSamples, melBins, hopSamples, clipSamples } = config;
  const ok =
    (frameSamples & (frameSamples - 1)) === 0 &&
    frameSamples >= 16 &&
    frameSamples <= 8192 &&
    melBins >= 1 &&
    melBins <= frameSamples / 2 &&
    hopSamples >= 1 &&
    clipSamples >= 1 &&
    Number.isInteger(sampleRateHz) &&
    sampleRateHz >= 1000;
  if (!ok)
    throw new AicError('DATA_AUDIO_CONFIG_INVALID', 'spectrogram parameters are out of range', { details: config });
  return config;
}

/** Per-mel-bin z-score over every frame of every clip, applied in place; returns the statistics. */
function normalizePerBin(values: Float32Array, melBins: number): { mean: number[]; std: number[] } {
  const n = values.length / melBins;
  const mean = new Array<number>(melBins).fill(0);
  const sq = new Array<number>(melBins).fill(0);
  for (let i = 0; i < values.length; i++) mean[i % melBins] = (mean[i % melBins] as number) + (values[i] as number) / n;
  for (let i = 0; i < values.length; i++)
    sq[i % melBins] = (sq[i % melBins] as number) + ((values[i] as number) - (mean[i % melBins] as number)) ** 2 / n;
  const std = sq.map((v) => (v > 0 ? Math.sqrt(v) : 1));
  for (let i = 0; i < values.length; i++)
    values[i] = ((values[i] as number) - (mean[i % melBins] as number)) / (std[i % melBins] as number);
  return { mean, std };
}

/**
 * Digitizes WAV clips (one folder per class): mono, resampled to `sampleRateHz`, padded or cut to `clipSamples`,
 * turned into fixed-size log-mel spectrograms [frames, melBins] and z-scored per mel bin (statistics in the
 * manifest). Throws DATA_WAV_INVALID naming the file, DATA_AUDIO_CONFIG_INVALID or DATA_IMPORT_EMPTY.
 *
 * @example
 * const dataset = importWav(await readClassFolder('commands', AUDIO_EXTENSIONS), { name: 'commands', license, pricePerUseWei });
 */
export function importWav(files: readonly LabelledFile[], options: AudioImportOptions): ImportedDataset {
  const config = configOf(options);
  const frames = frameCount(config);
  const perClip = frames * config.melBins;
  const filters = melFilterbank(config);
  const features = new Float32Array(files.length * perClip);
  for (const [i, file] of files.entries()) {
    const clip = resampleLinear(parseWav(file.bytes, `${file.label}/${file.name}`), config.sampleRateHz);
    logMelInto(clip, config, filters, features, i * perClip);
  }
  const { mean, std } = files.length > 0 ? normalizePerBin(features, config.melBins) : { mean: [0], std: [1] };
  const { classes, labels } = classIdsOf(files);
  return buildDataset(
    { rows: files.length, features, featureShape: [frames, config.melBins], labels, labelShape: [] },
    {
      name: options.name,
      ...(options.description === undefined ? {} : { description: options.description }),
      sourceKind: 'audio-wav',
      task: 'classification',
      classes,
      normalization: { kind: 'zscore', mean, std },
      preprocessing: { kind: 'audio', ...config },
    },
    options,
  );
}
