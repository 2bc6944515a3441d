import { AicError } from '@aic/core';
import type { RuntimeBackend } from '@aic/model-vessel';
import * as tf from '@tensorflow/tfjs-core';
import { activateBackend } from './backend.ts';
import type { HardwareDescriptor } from './descriptor.ts';

/**
 * Self-benchmark: sustained FP32 matmul rate of the runtime the provider will actually run (TensorFlow.js on a given
 * backend), so a provider knows which class to claim. It is self-reported, hence only a hint for choosing the claim;
 * the hardware-class challenge is the proof.
 */
export interface BenchmarkOptions {
  backend?: RuntimeBackend;
  /** Square matrix sizes to time (the best size's median counts). Default [256]: ~0.2 s on the tfjs cpu backend. */
  sizes?: readonly number[];
  /** Timed runs per size after one warm-up. Default 3. */
  runs?: number;
  signal?: AbortSignal;
}

export interface BenchmarkResult {
  backend: RuntimeBackend;
  /** Best per-size median rate. */
  tflopsFp32: number;
  samples: { n: number; medianMs: number; tflopsFp32: number }[];
  /** Unix ms when it finished. */
  at: number;
}

/** Times n×n float32 matmuls (2n³ flops each) on `backend`; resolves to the sustained rate in TFLOPS. */
export async function benchmarkTflops(options: BenchmarkOptions = {}): Promise<BenchmarkResult> {
  const backend = options.backend ?? 'cpu';
  const runs = Math.max(1, options.runs ?? 3);
  await activateBackend(backend);
  const samples: BenchmarkResult['samples'] = [];
  for (const n of options.sizes ?? [256]) {
    if (!Number.isInteger(n) || n < 1 || n > 8192) {
      throw new AicError('HARDWARE_BENCHMARK_INVALID', 'matrix size must be an integer in [1, 8192]', {
        details: { n },
      });
    }
    const medianMs = await medianMatmulMs(n, runs, options.signal);
    samples.push({ n, medianMs, tflopsFp32: (2 * n ** 3) / (medianMs * 1e9) });
  }
  const tflopsFp32 = Math.max(0, ...samples.map((s) => s.tflopsFp32));
  return { backend, tflopsFp32, samples, at: Date.now() };
}

/** The descriptor with its `measured` field set from a benchmark. */
export function withBenchmark(descriptor: HardwareDescriptor, result: BenchmarkResult): HardwareDescriptor {
  return { ...descriptor, measured: { tflopsFp32: result.tflopsFp32, at: result.at } };
}

async function medianMatmulMs(n: number, runs: number, signal: AbortSignal | undefined): Promise<number> {
  const a = tf.randomUniform([n, n], -1, 1, 'float32', 1);
  const b = tf.randomUniform([n, n], -1, 1, 'float32', 2);
  try {
    const times: number[] = [];
    for (let i = 0; i <= runs; i++) {
      if (signal?.aborted) throw new AicError('HARDWARE_BENCHMARK_ABORTED', 'benchmark aborted');
      const start = performance.now();
      // Summing on the device forces the product on lazy backends (webgpu) and reads back one number only.
      const total = tf.tidy(() => tf.sum(tf.matMul(a, b)));
      await total.data();
      total.dispose();
      if (i > 0) times.push(performance.now() - start); // run 0 is the warm-up (kernels, shader compilation)
      await new Promise((resolve) => setImmediate(resolve));
    }
    times.sort((x, y) => x - y);
    return Math.max(times[Math.floor(times.length / 2)] ?? 0, 1e-3);
  } finally {
    a.dispose();
    b.dispose();
  }
}
