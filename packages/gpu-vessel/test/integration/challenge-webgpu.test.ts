import { existsSync } from 'node:fs';
import { isAicError } from '@aic/core';
import { HardwareClass } from '@aic/ledger';
import { useBackend } from '@aic/model-vessel';
import { beforeAll, describe, expect, it } from 'vitest';
import { createChallenge } from '../../src/challenge/challenge.ts';
import { checkChallengeAnswer } from '../../src/challenge/check.ts';
import { revealRound, solveChallenge } from '../../src/challenge/solve.ts';

// The class challenge on the device (WebGPU compute shaders for the operands and the row hashes, tfjs webgpu for the
// products). Where Debian's chromium is installed its SwiftShader (a CPU Vulkan driver Dawn accepts) gives this
// process an adapter; a GPU machine's own driver does the same. Without any adapter the tests are skipped.
const SWIFTSHADER_ICD = '/usr/lib/chromium/vk_swiftshader_icd.json';
if (process.env.VK_ICD_FILENAMES === undefined && existsSync(SWIFTSHADER_ICD)) {
  process.env.VK_ICD_FILENAMES = SWIFTSHADER_ICD;
}
let adapter: string | undefined;
beforeAll(async () => {
  try {
    await useBackend('webgpu');
    adapter = 'webgpu';
  } catch (error) {
    if (!isAicError(error, 'RUNTIME_BACKEND_UNAVAILABLE')) throw error;
  }
});

const seed = (byte: number) => new Uint8Array(32).fill(byte);

describe('hardware-class challenge solved on the device (webgpu), skipped without a WebGPU adapter', () => {
  it('gives bit for bit the commitments of the cpu path, and passes the challenger check', async (ctx) => {
    if (!adapter) ctx.skip('no WebGPU adapter here');
    for (const n of [32, 100]) {
      const challenge = createChallenge(HardwareClass.Cpu, seed(n), { n, targetSeconds: 0.005 });
      const onDevice = await solveChallenge(challenge, { backend: 'webgpu' });
      const onCpu = await solveChallenge(challenge, { backend: 'cpu' });
      expect(onDevice.map((h) => Buffer.from(h).toString('hex'))).toEqual(
        onCpu.map((h) => Buffer.from(h).toString('hex')),
      );
      const round = challenge.rounds - 1;
      const product = await revealRound(challenge, round, { backend: 'webgpu' });
      expect(checkChallengeAnswer(challenge, onDevice, round, product)).toMatchObject({ ok: true });
    }
  });

  it('a CPU running the webgpu path (SwiftShader) claiming DatacenterGpu still misses the deadline', async (ctx) => {
    if (!adapter) ctx.skip('no WebGPU adapter here');
    const challenge = createChallenge(HardwareClass.DatacenterGpu, seed(7));
    const started = performance.now();
    const solving = solveChallenge(challenge, { backend: 'webgpu', signal: AbortSignal.timeout(challenge.deadlineMs) });
    await expect(solving).rejects.toMatchObject({ code: 'HARDWARE_CHALLENGE_ABORTED' });
    expect(performance.now() - started).toBeGreaterThanOrEqual(challenge.deadlineMs - 50);
  });
});
