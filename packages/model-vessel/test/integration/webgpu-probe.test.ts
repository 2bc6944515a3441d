import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { dawnEntryUrl, parseWebgpuProbe, probeWebgpuAdapter } from '../../src/index.ts';

// Chromium's SwiftShader (a CPU Vulkan driver Dawn accepts, unlike Debian 12's lavapipe) where Debian's chromium is
// installed (the browser tests install it).
const SWIFTSHADER_ICD = '/usr/lib/chromium/vk_swiftshader_icd.json';

describe('WebGPU adapter probe (Dawn for Node in a child process)', () => {
  it('reads the probe line and takes anything else as no adapter', () => {
    const line = '{"vendor":"nvidia","architecture":"hopper","device":"","description":"H100","fallback":false}';
    expect(parseWebgpuProbe(`warning: noise\n${line}\n`)).toMatchObject({ vendor: 'nvidia', architecture: 'hopper' });
    expect(parseWebgpuProbe('null\n')).toBeNull();
    expect(parseWebgpuProbe('Segmentation fault')).toBeNull();
    expect(parseWebgpuProbe('{"vendor":1}')).toBeNull();
  });

  it('finds no adapter when Vulkan has no usable driver, and never throws', async () => {
    if (!dawnEntryUrl()) return; // without the optional package the answer is null by construction
    const saved = process.env.VK_ICD_FILENAMES;
    process.env.VK_ICD_FILENAMES = '/nonexistent/icd.json';
    try {
      expect(await probeWebgpuAdapter()).toBeNull();
    } finally {
      if (saved === undefined) delete process.env.VK_ICD_FILENAMES;
      else process.env.VK_ICD_FILENAMES = saved;
    }
  });

  it('finds SwiftShader as a fallback adapter — only where Chromium ships it (skipped otherwise)', async (ctx) => {
    if (!dawnEntryUrl() || !existsSync(SWIFTSHADER_ICD)) ctx.skip('no webgpu package or no SwiftShader ICD here');
    const saved = process.env.VK_ICD_FILENAMES;
    process.env.VK_ICD_FILENAMES = SWIFTSHADER_ICD;
    try {
      expect(await probeWebgpuAdapter()).toMatchObject({
        vendor: 'google',
        architecture: 'swiftshader',
        fallback: true,
      });
    } finally {
      if (saved === undefined) delete process.env.VK_ICD_FILENAMES;
      else process.env.VK_ICD_FILENAMES = saved;
    }
  });
});
