import { describe, expect, it } from 'vitest';
import { benchmarkTflops, withBenchmark } from '../../src/hardware/benchmark.ts';
import { detectHardware } from '../../src/hardware/detect.ts';

describe('self-benchmark', () => {
  it('measures a positive tfjs cpu matmul rate and records it in the descriptor', async () => {
    const result = await benchmarkTflops({ backend: 'cpu', sizes: [64], runs: 1 });
    expect(result.backend).toBe('cpu');
    expect(result.samples).toHaveLength(1);
    expect(result.tflopsFp32).toBeGreaterThan(0);
    const descriptor = withBenchmark(await detectHardware({ exec: async () => '' }), result);
    expect(descriptor.measured).toEqual({ tflopsFp32: result.tflopsFp32, at: result.at });
  });

  it('refuses a nonsense size', async () => {
    await expect(benchmarkTflops({ sizes: [0] })).rejects.toMatchObject({ code: 'HARDWARE_BENCHMARK_INVALID' });
  });
});
