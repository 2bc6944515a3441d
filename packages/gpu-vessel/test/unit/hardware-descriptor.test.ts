import { HardwareClass } from '@aic/ledger';
import { describe, expect, it } from 'vitest';
import {
  CLASS_REQUIREMENTS,
  HARDWARE_CLASSES,
  type HardwareDescriptor,
  hardwareClassOf,
  hardwareDescriptorSchema,
} from '../../src/hardware/descriptor.ts';
import { descriptorToOfferHardware, primaryAccelerator } from '../../src/hardware/offer-hardware.ts';

const GIB = 1024 ** 3;
const host = {
  cpu: { model: 'AMD EPYC 9654', cores: 96 },
  memoryBytes: 512 * GIB,
  backends: ['cpu', 'webgpu'],
} as const;
const h100 = (count: number, tflopsFp32?: number): HardwareDescriptor => ({
  ...host,
  backends: [...host.backends],
  accelerators: [{ kind: 'nvidia-gpu', model: 'NVIDIA H100 80GB HBM3', memoryBytes: 80 * GIB, count }],
  measured: tflopsFp32 === undefined ? {} : { tflopsFp32, at: 1 },
});

describe('hardware descriptor and class table', () => {
  it('lists classes slowest first with requirements that only grow', () => {
    expect(HARDWARE_CLASSES).toEqual([0, 1, 2, 3, 4]);
    for (let i = 1; i < HARDWARE_CLASSES.length; i++) {
      const prev = CLASS_REQUIREMENTS[HARDWARE_CLASSES[i - 1]!];
      const next = CLASS_REQUIREMENTS[HARDWARE_CLASSES[i]!];
      expect(next.minTflopsFp32).toBeGreaterThan(prev.minTflopsFp32);
      expect(next.minMemoryBytes).toBeGreaterThanOrEqual(prev.minMemoryBytes);
    }
  });

  it('classes a measured H100 as a datacenter GPU and eight of them as multi-GPU', () => {
    expect(hardwareClassOf(h100(1, 15))).toBe(HardwareClass.DatacenterGpu);
    expect(hardwareClassOf(h100(8, 100))).toBe(HardwareClass.MultiGpu);
    // Eight GPUs but one GPU's rate: not enough total rate for MultiGpu.
    expect(hardwareClassOf(h100(8, 15))).toBe(HardwareClass.DatacenterGpu);
  });

  it('gives an unmeasured or slow device only what its measurement proves', () => {
    expect(hardwareClassOf(h100(1))).toBe(HardwareClass.Cpu);
    expect(hardwareClassOf(h100(1, 3))).toBe(HardwareClass.ConsumerGpu);
  });

  it('caps a fast device by its memory', () => {
    const rtx4090: HardwareDescriptor = {
      ...h100(1, 12),
      accelerators: [{ kind: 'nvidia-gpu', model: 'NVIDIA GeForce RTX 4090', memoryBytes: 24 * GIB, count: 1 }],
    };
    expect(hardwareClassOf(rtx4090)).toBe(HardwareClass.WorkstationGpu);
  });

  it('never gives a GPU class to a CPU, however fast it says it is', () => {
    const cpuOnly: HardwareDescriptor = {
      ...h100(1, 50),
      accelerators: [{ kind: 'cpu', model: 'AMD EPYC 9654', memoryBytes: 512 * GIB, count: 1 }],
    };
    expect(hardwareClassOf(cpuOnly)).toBe(HardwareClass.Cpu);
  });

  it('validates descriptors at the boundary', () => {
    expect(hardwareDescriptorSchema.parse(h100(2, 15))).toEqual(h100(2, 15));
    expect(() => hardwareDescriptorSchema.parse({ ...h100(1), backends: [] })).toThrow();
    expect(() =>
      hardwareDescriptorSchema.parse({
        ...h100(1),
        accelerators: [{ kind: 'fpga', model: 'x', memoryBytes: 1, count: 1 }],
      }),
    ).toThrow();
  });

  it('turns the descriptor into offer hardware with one entry per device, named canonically', () => {
    const offer = descriptorToOfferHardware(h100(2, 15));
    // Offers name a GPU `<family>-<memory>G` (issue 13: "H100" or "A100-80G" in a requirement match it).
    expect(offer.gpus).toEqual([
      { model: 'H100-80G', memoryBytes: 80 * GIB },
      { model: 'H100-80G', memoryBytes: 80 * GIB },
    ]);
    expect(offer).toMatchObject({ cpuCores: 96, memoryBytes: 512 * GIB, backends: ['cpu', 'webgpu'] });
    expect(primaryAccelerator(h100(2))?.model).toBe('NVIDIA H100 80GB HBM3');
  });
});
