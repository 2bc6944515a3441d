import { isAicError } from '@aic/core';
import { describe, expect, it } from 'vitest';
import { evaluate, irisTemplate, trainJob, useBackend } from '../../src/index.ts';

// The GPU mode needs navigator.gpu: the optional npm `webgpu` (Dawn) package plus a Vulkan driver. On a machine
// without them this test is skipped with the reason. Checked on the development machine: Debian 12's CPU driver
// (Mesa 22.3 lavapipe) is refused by Dawn ("Vulkan shaderUniform*ArrayDynamicIndexing required"), so there the
// WebGPU path cannot run on a CPU either; no GPU machine was lent to this task.
describe('webgpu backend (tolerant mode)', () => {
  it('trains the Iris template to its reference accuracy when a WebGPU adapter exists', async (ctx) => {
    try {
      await useBackend('webgpu');
    } catch (error) {
      if (isAicError(error, 'RUNTIME_BACKEND_UNAVAILABLE')) ctx.skip(`no WebGPU adapter here: ${error.message}`);
      throw error;
    }
    const data = await irisTemplate.loadData();
    const result = await trainJob({ manifest: irisTemplate.manifest, backend: 'webgpu', seed: 1 }, data.train);
    const { accuracy } = await evaluate(result.model, data.test);
    result.model.dispose();
    expect(accuracy).toBeGreaterThanOrEqual(irisTemplate.referenceAccuracy);
  });
});
