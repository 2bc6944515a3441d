import { describe, expect, it } from 'vitest';
import { assertSatisfiable, type Machine, whyUnsatisfiable } from '../../src/index.ts';

const box = (model: string, memoryGiB: number, n: number, cpuCores = 32, mem = 256): Machine => ({
  gpus: Array.from({ length: n }, () => ({ model, memoryGiB })),
  cpuCores,
  memoryGiB: mem,
  backends: ['cpu', 'wasm'],
});
const market = [box('T4-16G', 16, 4), box('A100-80G', 80, 2, 16, 128), box('A10-24G', 24, 1)];

describe('why no offer can take a job', () => {
  it('names the first constraint no machine meets, with what the market has instead', () => {
    expect(whyUnsatisfiable(market, { gpus: 1, gpuModels: ['H100'] })).toMatchObject({ reason: 'gpu-model' });
    expect(whyUnsatisfiable(market, { gpus: 1, gpuModels: ['H100'] })?.message).toContain('T4-16G ×4');
    expect(whyUnsatisfiable(market, { gpus: 1, minGpuMemoryGiB: 96 })).toMatchObject({ reason: 'gpu-memory' });
    expect(whyUnsatisfiable(market, { gpus: 4, gpuModels: ['A100'] })?.message).toBe(
      'no offer has 4 such GPUs on one machine (most: 2)',
    );
    expect(whyUnsatisfiable(market, { gpus: 2, gpuModels: ['A100'], cpuCores: 24 })).toMatchObject({
      reason: 'cpu-cores',
    });
    expect(whyUnsatisfiable(market, { gpus: 1, memoryGiB: 512 })).toMatchObject({ reason: 'memory' });
    expect(whyUnsatisfiable(market, { backend: 'webgpu' })).toMatchObject({ reason: 'backend' });
    expect(whyUnsatisfiable(market, { gpus: 1, acceleratorKinds: ['tpu'] })).toMatchObject({
      reason: 'accelerator-kind',
    });
  });

  it('finds nothing wrong with a job some machine can run, and judges nothing without offers', () => {
    expect(whyUnsatisfiable(market, { gpus: 2, gpuModels: ['H100', 'A100'], cpuCores: 8, memoryGiB: 64 })).toBe(
      undefined,
    );
    expect(whyUnsatisfiable(market, { gpus: 0.25, gpuModels: ['a10'] })).toBeUndefined();
    expect(() => assertSatisfiable([], { gpus: 8 })).not.toThrow();
    expect(() => assertSatisfiable(market, { gpus: 8 })).toThrow(/8 such GPUs on one machine/);
    try {
      assertSatisfiable(market, { gpus: 8 });
    } catch (error) {
      expect(error).toMatchObject({ code: 'ALLOCATOR_REQUIREMENT_UNSATISFIABLE', details: { reason: 'gpu-count' } });
    }
  });
});
