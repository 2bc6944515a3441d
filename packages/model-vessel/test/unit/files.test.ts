import { tensorFromArray, writeSafetensors } from '@aic/core/safetensors';
import { describe, expect, it } from 'vitest';
import {
  type Checkpoint,
  checkpointFromFiles,
  checkpointToFiles,
  datasetFromSafetensors,
  decodeWav,
  encodeWav,
  weightsFromSafetensors,
  weightsToSafetensors,
} from '../../src/index.ts';

const checkpoint: Checkpoint = {
  jobDigest: `0x${'ab'.repeat(32)}`,
  backend: 'wasm',
  step: 20,
  rng: { epochStartPrng: [1, 2, 3, 4], epoch: 1, cursor: 8 },
  commitments: [{ step: 0, hash: `0x${'11'.repeat(32)}` }],
  segmentBatchesDigest: `0x${'22'.repeat(32)}`,
  weights: [{ name: 'dense/kernel', shape: [2, 2], data: new Float32Array([1, 2, 3, 4]) }],
  optimizer: [
    { name: 'iter', shape: [], data: new Int32Array([20]) },
    { name: 'accBeta1', shape: [], data: new Float32Array([0.5]) },
  ],
};

describe('files of the runtime', () => {
  it('round-trips a checkpoint through JSON + safetensors', () => {
    const { json, tensors } = checkpointToFiles(checkpoint);
    const back = checkpointFromFiles(json, tensors);
    expect(back).toEqual({ ...checkpoint, weights: [{ ...checkpoint.weights[0], shape: [2, 2] }] });
  });

  it('refuses a malformed checkpoint or one holding NaN', () => {
    const { json, tensors } = checkpointToFiles(checkpoint);
    expect(() => checkpointFromFiles(json.replace('"step":20', '"step":-1'), tensors)).toThrow(
      expect.objectContaining({ code: 'RUNTIME_CHECKPOINT_INVALID' }),
    );
    const nan = checkpointToFiles({
      ...checkpoint,
      weights: [{ name: 'w', shape: [1], data: new Float32Array([Number.NaN]) }],
    });
    expect(() => checkpointFromFiles(nan.json, nan.tensors)).toThrow(
      expect.objectContaining({ code: 'MODEL_WEIGHTS_NOT_FINITE' }),
    );
  });

  it('writes weights files whose bytes depend only on the values', () => {
    const a = weightsToSafetensors([{ name: 'dense_Dense1/kernel', shape: [2], data: new Float32Array([1, 2]) }]);
    const b = weightsToSafetensors([{ name: 'dense_Dense7/kernel', shape: [2], data: new Float32Array([1, 2]) }]);
    expect(a).toEqual(b);
    expect(Array.from(weightsFromSafetensors(a)[0]?.data ?? [])).toEqual([1, 2]);
  });

  it('reads a dataset shard with features and labels', () => {
    const bytes = writeSafetensors({
      features: tensorFromArray(new Float32Array([1, 2, 3, 4, 5, 6]), [3, 2]),
      labels: tensorFromArray(new Int32Array([0, 1, 0]), [3]),
    });
    const data = datasetFromSafetensors(bytes);
    expect(data).toMatchObject({ count: 3, featureShape: [2], labelShape: [1] });
    expect(Array.from(data.labels)).toEqual([0, 1, 0]);
    const bad = writeSafetensors({
      features: tensorFromArray(new Float32Array([1, 2]), [2, 1]),
      labels: tensorFromArray(new Int32Array([0]), [1]),
    });
    expect(() => datasetFromSafetensors(bad)).toThrow(expect.objectContaining({ code: 'RUNTIME_DATA_INVALID' }));
  });

  it('encodes and decodes 16-bit PCM WAV, refusing truncated files', () => {
    const samples = Float32Array.from({ length: 100 }, (_, i) => Math.sin(i / 5) * 0.5);
    const wav = encodeWav({ sampleRate: 8000, samples });
    const back = decodeWav(wav);
    expect(back.sampleRate).toBe(8000);
    expect(Math.max(...back.samples.map((v, i) => Math.abs(v - (samples[i] as number))))).toBeLessThan(1e-4);
    expect(() => decodeWav(wav.subarray(0, 60))).toThrow(expect.objectContaining({ code: 'DATA_WAV_INVALID' }));
    expect(() => decodeWav(new Uint8Array(10))).toThrow(expect.objectContaining({ code: 'DATA_WAV_INVALID' }));
  });
});
