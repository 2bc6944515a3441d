import { existsSync } from 'node:fs';
import os from 'node:os';
import { delimiter, join } from 'node:path';
import { isAicError } from '@aic/core';
import { describe, expect, it } from 'vitest';
import { hardwareDescriptorSchema } from '../../src/hardware/descriptor.ts';
import { detectHardware, NVIDIA_SMI_ARGS, parseNvidiaSmiCsv } from '../../src/hardware/detect.ts';

const MIB = 1024 * 1024;

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
    const descriptor = await detectHardware({ exec: absent });
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
    });
    expect(calls).toEqual([['nvidia-smi', ...NVIDIA_SMI_ARGS]]);
    expect(descriptor.accelerators.map((a) => a.model)).toEqual(['NVIDIA H100 80GB HBM3']);
  });

  it('falls back to the CPU and reports garbage from a present nvidia-smi', async () => {
    const errors: string[] = [];
    const descriptor = await detectHardware({ exec: async () => 'garbage', onProbeError: (e) => errors.push(e.code) });
    expect(errors).toEqual(['HARDWARE_PROBE_INVALID']);
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
