/**
 * What the coordinator's own placements use up on each provider's machine (issue 13: every placement uses its
 * amounts up and releases them when the job ends). An offer declares the machine's free amounts when it was
 * announced; a job placed there since takes its GPU shares, CPU cores and memory until the provider is done with it
 * (its result committed, or the job preempted, expired or refunded), so the next placement sees what is really left
 * instead of over-committing the machine between two announcements. Pure bookkeeping: no I/O.
 */
import type { HardwareRequirement, Machine } from '@aic/allocator';

interface MachineUse {
  provider: string;
  gpus: readonly { readonly index: number; readonly share: number }[];
  cpuCores: number;
  memoryGiB: number;
}

export class MachineUsage {
  readonly #byJob = new Map<bigint, MachineUse>();

  /** `jobId` now runs on `placement.provider`, using the GPUs the allocator chose and the requirement's amounts. */
  use(
    jobId: bigint,
    placement: { provider: string; gpus?: readonly { readonly index: number; readonly share: number }[] | undefined },
    hardware: HardwareRequirement | undefined,
  ): void {
    this.#byJob.set(jobId, {
      provider: placement.provider.toLowerCase(),
      gpus: placement.gpus ?? [],
      cpuCores: hardware?.cpuCores ?? 0,
      memoryGiB: hardware?.memoryGiB ?? 0,
    });
  }

  /** The provider is done with `jobId` (or it left it): its amounts are free again. */
  release(jobId: bigint): void {
    this.#byJob.delete(jobId);
  }

  /** Jobs holding amounts on `provider`'s machine now. */
  jobsOn(provider: string): bigint[] {
    const who = provider.toLowerCase();
    return [...this.#byJob].filter(([, use]) => use.provider === who).map(([jobId]) => jobId);
  }

  /** The machine as free for a new placement: what its offer declares less what running placements there use. */
  freeOf(provider: string, machine: Machine): Machine {
    const who = provider.toLowerCase();
    const uses = [...this.#byJob.values()].filter((use) => use.provider === who);
    if (uses.length === 0) return machine;
    const taken = machine.gpus.map(() => 0);
    let cpuCores = 0;
    let memoryGiB = 0;
    for (const use of uses) {
      for (const gpu of use.gpus) if (gpu.index >= 0 && gpu.index < taken.length) taken[gpu.index]! += gpu.share;
      cpuCores += use.cpuCores;
      memoryGiB += use.memoryGiB;
    }
    return {
      ...machine,
      gpus: machine.gpus.map((gpu, i) => ({ ...gpu, free: Math.max(0, (gpu.free ?? 1) - taken[i]!) })),
      cpuCores: Math.max(0, machine.cpuCores - cpuCores),
      memoryGiB: Math.max(0, machine.memoryGiB - memoryGiB),
    };
  }
}
