import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const run = promisify(execFile);
const root = join(import.meta.dirname, '..', '..');

// The prepared GPU check in its degraded mode: the Vulkan driver list points nowhere, so Dawn finds no adapter, as
// on a machine without a GPU. The GPU figures need a GPU machine (docs/ARCHITECTURE.md, "WebGPU jobs").
describe('scripts/gpu-check.sh without a GPU', () => {
  it('prints one JSON line with "gpu": false, the cpu and wasm samples/s and the Cpu-class challenge', async () => {
    const { stdout } = await run('bash', [join(root, 'scripts', 'gpu-check.sh'), '--quick'], {
      cwd: root,
      env: { ...process.env, VK_ICD_FILENAMES: '/nonexistent/icd.json', AIC_GPU_CHECK_TIMEOUT_S: '150' },
      timeout: 160_000,
    });
    const lines = stdout.trim().split('\n');
    expect(lines).toHaveLength(1);
    const figures = JSON.parse(lines[0] as string);
    expect(figures).toMatchObject({ gpuCheck: 1, gpu: false, adapter: null, webgpuVsCpu: null });
    expect(figures.samplesPerSecond.cpu).toBeGreaterThan(0);
    expect(figures.samplesPerSecond.wasm).toBeGreaterThan(0);
    expect(figures.samplesPerSecond.webgpu).toBeNull();
    expect(figures.challenge).toMatchObject({ backend: 'cpu', provenClass: 0 });
    expect(figures.challenge.attempts[0]).toMatchObject({ class: 0, passed: true });
    expect(figures.tolerantDistance).toEqual({ webgpuVsWebgpuRelativeL2: null, webgpuVsCpuRelativeL2: null });
  });
});
