import { HardwareClass } from '@aic/ledger';
import { webgpuAdapterSchema } from '@aic/model-vessel';
import { z } from 'zod';

/**
 * The one hardware descriptor of the GPU Vessel, for every accelerator class (NVIDIA, AMD, Apple, Intel, TPU, NPU,
 * or only a CPU). Detection fills the enumeration; `measured` comes from the self-benchmark. Neither is trusted by
 * others: a class counts only after a hardware-class challenge (src/challenge) proved it by demanded work.
 */
export const ACCELERATOR_KINDS = ['nvidia-gpu', 'amd-gpu', 'apple-gpu', 'intel-gpu', 'tpu', 'npu', 'cpu'] as const;
export type AcceleratorKind = (typeof ACCELERATOR_KINDS)[number];

/** TensorFlow.js backends a provider can run (the backend is part of a job spec, DESIGN.md §5). */
export const DESCRIPTOR_BACKENDS = ['cpu', 'wasm', 'webgpu'] as const;

const byteCount = z.number().int().nonnegative().max(Number.MAX_SAFE_INTEGER);

export const acceleratorSchema = z.strictObject({
  kind: z.enum(ACCELERATOR_KINDS),
  model: z.string().min(1).max(128),
  /** Memory of ONE device of this model (VRAM; RAM for kind 'cpu'). */
  memoryBytes: byteCount,
  count: z.number().int().min(1).max(64),
});

export const hardwareDescriptorSchema = z.strictObject({
  accelerators: z.array(acceleratorSchema).max(16),
  cpu: z.strictObject({ model: z.string().min(1).max(128), cores: z.number().int().min(1).max(4096) }),
  /** Host RAM. */
  memoryBytes: byteCount,
  backends: z.array(z.enum(DESCRIPTOR_BACKENDS)).min(1).max(3),
  /** The WebGPU adapter (vendor, architecture, …) when Dawn found one: what the webgpu backend runs on. */
  webgpu: webgpuAdapterSchema.optional(),
  /** Self-benchmark result (src/hardware/benchmark.ts); absent until measured. */
  measured: z.strictObject({
    tflopsFp32: z.number().nonnegative().max(1e6).optional(),
    /** Unix ms of the measurement. */
    at: z.number().int().nonnegative().optional(),
  }),
});

export type Accelerator = z.infer<typeof acceleratorSchema>;
export type HardwareDescriptor = z.infer<typeof hardwareDescriptorSchema>;
/** A value of the ledger's HardwareClass enum (0 = Cpu … 4 = MultiGpu). */
export type HardwareClassId = (typeof HardwareClass)[keyof typeof HardwareClass];

const GIB = 1024 ** 3;

/** What a class needs. `minTflopsFp32` is the sustained FP32 rate of the runtime the network runs (TensorFlow.js). */
export interface ClassRequirement {
  minTflopsFp32: number;
  /** Per device for the single-device classes; summed over devices for MultiGpu; host RAM for Cpu. */
  minMemoryBytes: number;
  /** Non-CPU accelerator devices needed. */
  minAccelerators: number;
}

/**
 * Class → minimum sustained FP32 TFLOPS and memory. The rates are what TensorFlow.js reaches, far below spec-sheet
 * peaks: its cpu backend does ~0.001 TFLOPS, its webgpu backend ~14–20 on an H100 (docs/TOOLCHAIN.md), so
 * 10 TFLOPS marks a datacenter GPU. Cpu is the floor every machine meets.
 *
 * | class          | min TFLOPS | min memory            | devices |
 * |----------------|-----------:|-----------------------|--------:|
 * | Cpu            |     0.0002 | 1 GiB RAM             |       0 |
 * | ConsumerGpu    |          2 | 8 GiB per device      |       1 |
 * | WorkstationGpu |          5 | 24 GiB per device     |       1 |
 * | DatacenterGpu  |         10 | 40 GiB per device     |       1 |
 * | MultiGpu       | 20 (total) | 80 GiB over devices   |       2 |
 */
export const CLASS_REQUIREMENTS: Readonly<Record<HardwareClassId, ClassRequirement>> = {
  [HardwareClass.Cpu]: { minTflopsFp32: 0.0002, minMemoryBytes: 1 * GIB, minAccelerators: 0 },
  [HardwareClass.ConsumerGpu]: { minTflopsFp32: 2, minMemoryBytes: 8 * GIB, minAccelerators: 1 },
  [HardwareClass.WorkstationGpu]: { minTflopsFp32: 5, minMemoryBytes: 24 * GIB, minAccelerators: 1 },
  [HardwareClass.DatacenterGpu]: { minTflopsFp32: 10, minMemoryBytes: 40 * GIB, minAccelerators: 1 },
  [HardwareClass.MultiGpu]: { minTflopsFp32: 20, minMemoryBytes: 80 * GIB, minAccelerators: 2 },
};

/** Every class, slowest first. */
export const HARDWARE_CLASSES: readonly HardwareClassId[] = [
  HardwareClass.Cpu,
  HardwareClass.ConsumerGpu,
  HardwareClass.WorkstationGpu,
  HardwareClass.DatacenterGpu,
  HardwareClass.MultiGpu,
];

/** True when `value` is a HardwareClass of the ledger. */
export function isHardwareClass(value: unknown): value is HardwareClassId {
  return typeof value === 'number' && (HARDWARE_CLASSES as readonly number[]).includes(value);
}

/**
 * The highest class whose requirements the descriptor meets. A GPU class needs a measured rate (the enumeration
 * alone proves nothing), so an unmeasured descriptor is Cpu. This is the class a provider may *claim*; it counts
 * only after a challenge.
 * @example hardwareClassOf({ ...h100, measured: { tflopsFp32: 15 } }) // HardwareClass.DatacenterGpu
 */
export function hardwareClassOf(descriptor: HardwareDescriptor): HardwareClassId {
  let best: HardwareClassId = HardwareClass.Cpu;
  for (const hardwareClass of HARDWARE_CLASSES) {
    if (meetsClass(descriptor, hardwareClass)) best = hardwareClass;
  }
  return best;
}

/** True when the descriptor meets `hardwareClass`'s rate, memory and device count. */
export function meetsClass(descriptor: HardwareDescriptor, hardwareClass: HardwareClassId): boolean {
  const need = CLASS_REQUIREMENTS[hardwareClass];
  if (hardwareClass === HardwareClass.Cpu) return descriptor.memoryBytes >= need.minMemoryBytes;
  const tflops = descriptor.measured.tflopsFp32 ?? 0;
  const devices = descriptor.accelerators.filter((a) => a.kind !== 'cpu');
  const deviceCount = devices.reduce((sum, a) => sum + a.count, 0);
  if (tflops < need.minTflopsFp32 || deviceCount < need.minAccelerators) return false;
  if (hardwareClass === HardwareClass.MultiGpu) {
    return devices.reduce((sum, a) => sum + a.count * a.memoryBytes, 0) >= need.minMemoryBytes;
  }
  return devices.some((a) => a.memoryBytes >= need.minMemoryBytes);
}
