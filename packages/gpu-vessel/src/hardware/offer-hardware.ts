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

/** The `hardware` field of a provider offer (@aic/network providerOfferSpec): one entry per GPU device. */
export function descriptorToOfferHardware(descriptor: HardwareDescriptor): ProviderOffer['hardware'] {
  const gpus = descriptor.accelerators
    .filter((a) => a.kind !== 'cpu')
    .flatMap((a) => Array.from({ length: a.count }, () => ({ model: a.model, memoryBytes: a.memoryBytes })));
  return {
    gpus: gpus.slice(0, 64),
    cpuCores: descriptor.cpu.cores,
    memoryBytes: descriptor.memoryBytes,
    backends: [...descriptor.backends],
  };
}
