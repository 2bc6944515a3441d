/**
 * The job's hardware requirement as it travels in the ticket (optional field: tickets without it mean "any machine
 * of the job's hardware class", as before) and the conversions the coordinator feeds the Resource Allocator with:
 * a provider offer's `hardware` → the allocator's machine (GPUs by model and memory, CPU cores, memory, backends).
 */
import type { HardwareRequirement, Machine } from '@aic/allocator';
import type { ProviderOffer } from '@aic/network';
import { z } from 'zod';
import { canonicalGpuModel } from '../hardware/offer-hardware.ts';

const name = z.string().min(1).max(64);

/** Zod schema of {@link HardwareRequirement} (bounds: 64 GPUs, 16 models, 256 machines when spread). */
export const hardwareRequirementSchema = z.strictObject({
  gpus: z
    .number()
    .min(0)
    .max(64)
    .refine((g) => g <= 1 || Number.isInteger(g), 'gpus above 1 must be a whole number (GPUs on one machine)')
    .optional(),
  gpuModels: z.array(name).min(1).max(16).optional(),
  minGpuMemoryGiB: z.number().min(0).max(4_096).optional(),
  acceleratorKinds: z.array(z.string().min(1).max(32)).min(1).max(8).optional(),
  cpuCores: z.number().min(0).max(4_096).optional(),
  memoryGiB: z.number().min(0).max(1_048_576).optional(),
  backend: z.enum(['cpu', 'wasm', 'webgpu', 'tensorflow']).optional(),
  spread: z
    .strictObject({ machines: z.number().int().min(1).max(256), maxRttMs: z.number().min(0).max(1e6) })
    .optional(),
});

/** The type check that the wire schema and the allocator's type agree. */
export type HardwareRequirementWire = z.output<typeof hardwareRequirementSchema>;
const _sameShape: HardwareRequirement = {} as HardwareRequirementWire;
void _sameShape;

const GIB = 2 ** 30;

/** A provider offer's hardware as the allocator's machine: its GPUs (model, memory), CPU cores, memory, backends.
 * GPU names are made canonical here too, so an offer that carries nvidia-smi's raw name is matched the same way. */
export function offerHardwareToMachine(hardware: ProviderOffer['hardware']): Machine {
  return {
    gpus: hardware.gpus.map((g) => ({
      model: canonicalGpuModel(g.model, g.memoryBytes),
      memoryGiB: g.memoryBytes / GIB,
    })),
    cpuCores: hardware.cpuCores,
    memoryGiB: hardware.memoryBytes / GIB,
    backends: hardware.backends,
  };
}
