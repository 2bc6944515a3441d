import type { ProviderOffer } from '@aic/network';
import type { Accelerator, HardwareDescriptor } from './descriptor.ts';

/**
 * Offers show the hardware model and memory (issue: "Offers show the hardware model, memory and the price per hour
 * in AIC"). These converters turn the descriptor into what an offer and a UI line need.
 */

/** The accelerator an offer leads with: the non-CPU device with the most memory, else the CPU entry. */
export function primaryAccelerator(descriptor: HardwareDescriptor): Accelerator | undefined {
  const devices = descriptor.accelerators.filter((a) => a.kind !== 'cpu');
  const pool = devices.length > 0 ? devices : descriptor.accelerators;
  return pool.reduce<Accelerator | undefined>(
    (best, a) => (best && best.memoryBytes >= a.memoryBytes ? best : a),
    undefined,
  );
}

/** The `hardware` field of a provider offer (@aic/network providerOfferSpec): one entry per GPU device, named the
 * way requesters ask for it ({@link canonicalGpuModel}). */
export function descriptorToOfferHardware(descriptor: HardwareDescriptor): ProviderOffer['hardware'] {
  const gpus = descriptor.accelerators
    .filter((a) => a.kind !== 'cpu')
    .flatMap((a) =>
      Array.from({ length: a.count }, () => ({
        model: canonicalGpuModel(a.model, a.memoryBytes),
        memoryBytes: a.memoryBytes,
      })),
    );
  return {
    gpus: gpus.slice(0, 64),
    cpuCores: descriptor.cpu.cores,
    memoryBytes: descriptor.memoryBytes,
    backends: [...descriptor.backends],
  };
}

const VENDOR_WORDS = new Set(['NVIDIA', 'TESLA', 'GEFORCE', 'QUADRO', 'AMD', 'RADEON', 'INSTINCT', 'INTEL', 'PRO']);
/** Marketed memory sizes, GiB: a driver reports a little less than the label (a T4 15 GiB, an A10 22.5 GiB). */
const NOMINAL_GIB = [
  1, 2, 3, 4, 6, 8, 10, 11, 12, 16, 20, 24, 32, 40, 48, 64, 80, 94, 96, 128, 141, 144, 180, 192, 256,
];
const GIB = 2 ** 30;

/**
 * The model name requesters use for a GPU: `<family>-<memory>G`, e.g. "NVIDIA H100 80GB HBM3" with 79.6 GiB →
 * "H100-80G", "Tesla T4" with 15 GiB → "T4-16G", "NVIDIA A100-SXM4-40GB" → "A100-40G", "NVIDIA GeForce RTX 4090" →
 * "RTX4090-24G". The family is the first word with a digit (a letters-only word before a digits-only one joins it);
 * the memory is the marketed size at or just above the reported one. A name already in this form stays as it is.
 * A job asking for "H100" takes any H100, "H100-80G" only that one (@aic/allocator gpuModelMatches).
 */
export function canonicalGpuModel(name: string, memoryBytes: number): string {
  const upper = name.trim().toUpperCase();
  if (/^[A-Z0-9]+-[0-9]+G$/.test(upper)) return upper;
  const words = upper.split(/[^A-Z0-9]+/).filter((w) => w.length > 0 && !VENDOR_WORDS.has(w));
  let family: string | undefined;
  for (let i = 0; i < words.length && family === undefined; i++) {
    const w = words[i]!;
    if (!/[0-9]/.test(w) || /^[0-9]+GB?$/.test(w)) continue;
    const before = words[i - 1];
    family = /^[0-9]+$/.test(w) && before && /^[A-Z]+$/.test(before) ? `${before}${w}` : w;
  }
  if (family === undefined) return upper.slice(0, 64) || 'UNKNOWN';
  const gib = memoryBytes / GIB;
  const nominal = NOMINAL_GIB.find((n) => n >= gib - 0.25) ?? Math.round(gib);
  return `${family.slice(0, 48)}-${nominal}G`;
}
