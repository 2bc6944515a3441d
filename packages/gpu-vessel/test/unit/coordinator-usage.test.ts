import type { HardwareRequirement, Machine } from '@aic/allocator';
import { describe, expect, it } from 'vitest';
import { MachineUsage } from '../../src/agent/coordinator-usage.ts';

const MACHINE: Machine = {
  gpus: [
    { model: 'H100-80G', memoryGiB: 80 },
    { model: 'H100-80G', memoryGiB: 80 },
  ],
  cpuCores: 16,
  memoryGiB: 64,
};

describe('the coordinator’s machine usage', () => {
  it('takes a running placement’s GPU shares, CPU and memory off the machine, and gives them back when it ends', () => {
    const usage = new MachineUsage();
    const hardware: HardwareRequirement = { gpus: 1, cpuCores: 6, memoryGiB: 40 };
    usage.use(1n, { provider: '0xAA', gpus: [{ index: 1, share: 1 }] }, hardware);
    usage.use(2n, { provider: '0xaa', gpus: [{ index: 0, share: 0.25 }] }, { gpus: 0.25, cpuCores: 2 });
    usage.use(3n, { provider: '0xbb', gpus: [{ index: 0, share: 1 }] }, hardware);
    const free = usage.freeOf('0xAa', MACHINE);
    expect(free.gpus.map((g) => g.free)).toEqual([0.75, 0]);
    expect(free.cpuCores).toBe(8);
    expect(free.memoryGiB).toBe(24);
    expect(usage.jobsOn('0xaa')).toEqual([1n, 2n]);
    usage.release(1n);
    usage.release(2n);
    expect(usage.freeOf('0xaa', MACHINE)).toEqual(MACHINE);
    expect(usage.freeOf('0xcc', MACHINE)).toBe(MACHINE);
  });

  it('never reports less than nothing free', () => {
    const usage = new MachineUsage();
    usage.use(
      1n,
      {
        provider: '0xaa',
        gpus: [
          { index: 0, share: 1 },
          { index: 5, share: 1 },
        ],
      },
      { cpuCores: 99, memoryGiB: 999 },
    );
    const free = usage.freeOf('0xaa', MACHINE);
    expect(free.gpus.map((g) => g.free)).toEqual([0, 1]);
    expect(free.cpuCores).toBe(0);
    expect(free.memoryGiB).toBe(0);
  });
});
