/**
 * What the coordinator asks of the allocator for one job (pure): the job's hardware class and requirement, the
 * dataset's locality, and the providers it must not place on (the requester; after a preemption, the provider that
 * was preempted). The work is nominal: jobs are fixed-price, so the allocator ranks offers, it does not price them.
 */
import { type HardwareRequirement, type JobDemand, type Offer, whyUnsatisfiable } from '@aic/allocator';
import type { JobLocality } from './coordinator-locality.ts';

/**
 * Tickets state no amount of work, and a fixed-price job's pay is its quote whatever the estimate: one nominal
 * TFLOP makes the compute cost price ÷ proven throughput, which ranks offers; it only sets how much a fetch weighs.
 */
const NOMINAL_WORK_TFLOP = 1;

export function jobDemandOf(input: {
  jobId: bigint;
  minHwClass: number;
  requester: string;
  /** Set after a preemption: the provider the job left. */
  preemptedProvider?: string;
  locality: JobLocality | undefined;
  hardware: HardwareRequirement | undefined;
}): JobDemand {
  const { locality, hardware } = input;
  return {
    id: `job-${input.jobId}`,
    minHwClass: input.minHwClass,
    minMemoryGiB: 0,
    workTflop: NOMINAL_WORK_TFLOP,
    maxPricePerHour: Number.MAX_SAFE_INTEGER,
    minStake: 0,
    ...(locality ? { datasetId: locality.datasetRoot } : {}),
    datasetMB: locality?.datasetMB ?? 0,
    dataSources: locality?.dataSources ?? [],
    excludeProviders: [input.requester, ...(input.preemptedProvider ? [input.preemptedProvider] : [])],
    ...(hardware ? { hardware } : {}),
  };
}

/** Which constraint no eligible offer meets (issue 13), so an operator sees why a job waits: the log line's fields. */
export function whyWaiting(
  jobId: bigint,
  offers: readonly Offer[],
  shortlist: ReadonlySet<string>,
  hardware: HardwareRequirement | undefined,
): Record<string, unknown> {
  const machines = offers.flatMap((o) => (o.machine ? [o.machine] : []));
  const why = hardware && machines.length > 0 ? whyUnsatisfiable(machines, hardware) : undefined;
  return {
    jobId: String(jobId),
    offers: offers.length,
    shortlist: [...shortlist],
    hardware,
    ...(why ? { unsatisfied: why.message } : {}),
  };
}
