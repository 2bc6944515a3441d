import { existsSync, readFileSync } from 'node:fs';
import os from 'node:os';
import { delimiter, join } from 'node:path';
import { isAicError } from '@aic/core';
import type { WebgpuAdapter } from '@aic/model-vessel';
import { describe, expect, it } from 'vitest';
import { hardwareDescriptorSchema } from '../../src/hardware/descriptor.ts';
import { detectHardware, NVIDIA_SMI_ARGS, parseNvidiaSmiCsv } from '../../src/hardware/detect.ts';
import {
  acceleratorOfAdapter,
  kindOfVendor,
  parseRocmSmiJson,
  parseSystemProfilerDisplays,
  ROCM_SMI_ARGS,
} from '../../src/hardware/detect-vendors.ts';

const MIB = 1024 * 1024;
const noAdapter = async () => null;
const fixture = (name: string) => readFileSync(join(import.meta.dirname, 'fixtures', 'hardware', name), 'utf8');
const absentTool = async (): Promise<string> => {
  throw Object.assign(new Error('spawn ENOENT'), { code: 'ENOENT' });
};
const hopper: WebgpuAdapter = {
  vendor: 'nvidia',
  architecture: 'hopper',
  device: '',
  description: 'NVIDIA H100 80GB HBM3',
  fallback: false,
};
const swiftshader: WebgpuAdapter = {
  vendor: 'google',
  architecture: 'swiftshader',
  device: 'swiftshader-device-subzero-',
  description: 'SwiftShader driver 5.0.0',
  fallback: true,
};

describe('nvidia-smi parser', () => {
  it('reads one H100', () => {
    expect(parseNvidiaSmiCsv('NVIDIA H100 80GB HBM3, 81559, 1\n')).toEqual([
      { kind: 'nvidia-gpu', model: 'NVIDIA H100 80GB HBM3', memoryBytes: 81559 * MIB, count: 1 },
    ]);
  });

  it('groups eight A100s into one entry with count 8', () => {
    const text = `${Array.from({ length: 8 }, () => 'NVIDIA A100-SXM4-80GB, 81920, 8').join('\n')}\n`;
    expect(parseNvidiaSmiCsv(text)).toEqual([
      { kind: 'nvidia-gpu', model: 'NVIDIA A100-SXM4-80GB', memoryBytes: 81920 * MIB, count: 8 },
    ]);
  });

  it('keeps different models apart (RTX 4090 next to an RTX 3060, CRLF line ends)', () => {
    const text = 'NVIDIA GeForce RTX 4090, 24564, 2\r\nNVIDIA GeForce RTX 3060, 12288, 2\r\n';
    expect(parseNvidiaSmiCsv(text).map((a) => [a.model, a.memoryBytes / MIB, a.count])).toEqual([
      ['NVIDIA GeForce RTX 4090', 24564, 1],
      ['NVIDIA GeForce RTX 3060', 12288, 1],
    ]);
  });

  it.each([
    ['empty output', ''],
    ['a driver failure', "NVIDIA-SMI has failed because it couldn't communicate with the NVIDIA driver."],
    ['not-available memory', 'NVIDIA GH200 480GB, [N/A], 1'],
    ['a header line', 'name, memory.total [MiB], count'],
    ['zero memory', 'NVIDIA H100, 0, 1'],
  ])('rejects %s with HARDWARE_PROBE_INVALID', (_what, text) => {
    let caught: unknown;
    try {
      parseNvidiaSmiCsv(text);
    } catch (error) {
      caught = error;
    }
    expect(isAicError(caught, 'HARDWARE_PROBE_INVALID')).toBe(true);
  });
});

describe('detectHardware', () => {
  it('reports the CPU when nvidia-smi is absent', async () => {
    const absent = async () => {
      throw Object.assign(new Error('spawn nvidia-smi ENOENT'), { code: 'ENOENT' });
    };
    const descriptor = await detectHardware({ exec: absent, probeWebgpu: noAdapter });
    expect(hardwareDescriptorSchema.parse(descriptor)).toEqual(descriptor);
    expect(descriptor.accelerators).toEqual([
      { kind: 'cpu', model: descriptor.cpu.model, memoryBytes: os.totalmem(), count: 1 },
    ]);
    expect(descriptor.measured).toEqual({});
  });

  it('reports the GPUs nvidia-smi lists, asked with the documented query', async () => {
    const calls: string[][] = [];
    const descriptor = await detectHardware({
      exec: async (file, args) => {
        calls.push([file, ...args]);
        return 'NVIDIA H100 80GB HBM3, 81559, 1\n';
      },
      probeWebgpu: noAdapter,
    });
    expect(calls).toEqual([['nvidia-smi', ...NVIDIA_SMI_ARGS]]);
    expect(descriptor.accelerators.map((a) => a.model)).toEqual(['NVIDIA H100 80GB HBM3']);
  });

  it('falls back to the CPU and reports garbage from a present nvidia-smi (and rocm-smi)', async () => {
    const errors: string[] = [];
    const descriptor = await detectHardware({
      exec: async () => 'garbage',
      onProbeError: (e) => errors.push(e.code),
      probeWebgpu: noAdapter,
    });
    expect(errors).toEqual(['HARDWARE_PROBE_INVALID', 'HARDWARE_PROBE_INVALID']);
    expect(descriptor.accelerators[0]?.kind).toBe('cpu');
  });

  it('describes this machine as the OS reports it, with an NVIDIA GPU exactly when nvidia-smi is on PATH', async () => {
    const descriptor = await detectHardware();
    // Independent of the detector: Node's os module and a PATH search of our own.
    // the cores this process may use (CPU affinity), never more than the machine has
    expect(descriptor.cpu.cores).toBe(os.availableParallelism());
    expect(descriptor.cpu.cores).toBeLessThanOrEqual(os.cpus().length);
    expect(descriptor.cpu.model).toBe(os.cpus()[0]?.model.trim() || 'unknown CPU');
    expect(descriptor.memoryBytes).toBe(os.totalmem());
    const hasNvidiaSmi = (process.env.PATH ?? '')
      .split(delimiter)
      .some((dir) => dir && existsSync(join(dir, 'nvidia-smi')));
    const gpus = descriptor.accelerators.filter((a) => a.kind === 'nvidia-gpu');
    if (hasNvidiaSmi) expect(gpus.length).toBeGreaterThan(0);
    else
      expect(descriptor.accelerators).toEqual([
        { kind: 'cpu', model: descriptor.cpu.model, memoryBytes: os.totalmem(), count: 1 },
      ]);
  });
});

describe('AMD, Apple and WebGPU detection (issue 16)', () => {
  it('reads rocm-smi JSON: two MI210s grouped, one RX 7900 XT', () => {
    expect(parseRocmSmiJson(fixture('rocm-smi-mi210x2-rx7900.json'))).toEqual([
      { kind: 'amd-gpu', model: 'AMD Instinct MI210', memoryBytes: 68702699520, count: 2 },
      { kind: 'amd-gpu', model: 'Radeon RX 7900 XT', memoryBytes: 21458059264, count: 1 },
    ]);
  });

  it.each([
    ['not JSON', 'ERROR: GPU[0] : Unable to get VRAM'],
    ['no cards', '{}'],
    ['a card without VRAM', JSON.stringify({ card0: { 'Card Series': 'Vega 10 XT', 'VRAM Total Memory (B)': 'N/A' } })],
  ])('refuses rocm-smi output with %s (HARDWARE_PROBE_INVALID)', (_what, text) => {
    expect(() => parseRocmSmiJson(text)).toThrow(expect.objectContaining({ code: 'HARDWARE_PROBE_INVALID' }));
  });

  it("reads a Mac's GPUs: Apple silicon shares the host memory, a Radeon in an Intel Mac reports its VRAM", () => {
    expect(parseSystemProfilerDisplays(fixture('system-profiler-m2-max.json'), 96 * 2 ** 30)).toEqual([
      { kind: 'apple-gpu', model: 'Apple M2 Max', memoryBytes: 96 * 2 ** 30, count: 1 },
    ]);
    expect(parseSystemProfilerDisplays(fixture('system-profiler-intel-mac-radeon.json'), 32 * 2 ** 30)).toEqual([
      { kind: 'intel-gpu', model: 'Intel UHD Graphics 630', memoryBytes: 1536 * MIB, count: 1 },
      { kind: 'amd-gpu', model: 'AMD Radeon Pro 5500M', memoryBytes: 8 * 2 ** 30, count: 1 },
    ]);
  });

  it('names vendors by kind without confusing "Intel Corporation" with ATI', () => {
    expect(
      ['NVIDIA Corporation', 'Advanced Micro Devices, Inc. [AMD/ATI]', 'apple', 'Intel Corporation', 'qualcomm'].map(
        kindOfVendor,
      ),
    ).toEqual(['nvidia-gpu', 'amd-gpu', 'apple-gpu', 'intel-gpu', undefined]);
  });

  it('asks rocm-smi when nvidia-smi is absent', async () => {
    const calls: string[] = [];
    const descriptor = await detectHardware({
      exec: async (file, args) => {
        calls.push(file);
        if (file !== 'rocm-smi') return await absentTool();
        expect(args).toEqual(ROCM_SMI_ARGS);
        return fixture('rocm-smi-mi210x2-rx7900.json');
      },
      probeWebgpu: noAdapter,
      platform: 'linux',
    });
    expect(calls).toEqual(['nvidia-smi', 'rocm-smi']);
    expect(descriptor.accelerators.map((a) => [a.kind, a.count])).toEqual([
      ['amd-gpu', 2],
      ['amd-gpu', 1],
    ]);
    expect(descriptor.backends).toEqual(['cpu', 'wasm']);
  });

  it('asks system_profiler on a Mac', async () => {
    const descriptor = await detectHardware({
      exec: async (file) => (file === 'system_profiler' ? fixture('system-profiler-m2-max.json') : await absentTool()),
      probeWebgpu: noAdapter,
      platform: 'darwin',
    });
    expect(descriptor.accelerators[0]).toMatchObject({ kind: 'apple-gpu', model: 'Apple M2 Max' });
  });

  it('a WebGPU adapter adds the webgpu backend and its vendor/architecture; with nvidia-smi the GPU is its entry', async () => {
    const descriptor = await detectHardware({
      exec: async () => 'NVIDIA H100 80GB HBM3, 81559, 1\n',
      probeWebgpu: async () => hopper,
    });
    expect(hardwareDescriptorSchema.parse(descriptor)).toEqual(descriptor);
    expect(descriptor.backends).toEqual(['cpu', 'wasm', 'webgpu']);
    expect(descriptor.webgpu).toEqual(hopper);
    expect(descriptor.accelerators).toEqual([
      { kind: 'nvidia-gpu', model: 'NVIDIA H100 80GB HBM3', memoryBytes: 81559 * MIB, count: 1 },
    ]);
  });

  it('without a vendor tool the adapter names the GPU (memory unknown); a software adapter stays a CPU', async () => {
    const gpu = await detectHardware({ exec: absentTool, probeWebgpu: async () => hopper, platform: 'linux' });
    expect(gpu.accelerators).toEqual([
      { kind: 'nvidia-gpu', model: 'NVIDIA H100 80GB HBM3', memoryBytes: 0, count: 1 },
    ]);
    const cpu = await detectHardware({ exec: absentTool, probeWebgpu: async () => swiftshader, platform: 'linux' });
    expect(cpu.backends).toContain('webgpu'); // the webgpu code path runs, slowly, on the CPU
    expect(cpu.webgpu?.architecture).toBe('swiftshader');
    expect(cpu.accelerators[0]?.kind).toBe('cpu');
    expect(acceleratorOfAdapter(swiftshader, 1)).toBeUndefined();
  });
});
