/** Mirrors of the Solidity enums; order must match contracts/assets/AssetTypes.sol and compute/JobTypes.sol. */
export const AssetKind = { Data: 0, Dataset: 1, Model: 2, TrainedAI: 3 } as const;
export type AssetKind = (typeof AssetKind)[keyof typeof AssetKind];

export const JOB_STATES = [
  'None',
  'Created',
  'Escrowed',
  'Assigned',
  'Running',
  'Committed',
  'Verifying',
  'Settled',
  'Disputed',
  'Slashed',
  'Preempted',
  'Reassigned',
  'Expired',
  'Refunded',
] as const;
export type JobStateName = (typeof JOB_STATES)[number];
export const JobState = Object.fromEntries(JOB_STATES.map((name, i) => [name, i])) as { [K in JobStateName]: number };

/** Converts the numeric job state read from the chain into its name. */
export function jobStateName(state: number): JobStateName {
  const name = JOB_STATES[state];
  if (name === undefined) throw new RangeError(`unknown job state ${state}`);
  return name;
}

/** Hardware classes of the GPU Vessel descriptor (higher is faster; minimum stake grows with the class). */
export const HardwareClass = { Cpu: 0, ConsumerGpu: 1, WorkstationGpu: 2, DatacenterGpu: 3, MultiGpu: 4 } as const;

/** "No permit": the payer relies on an existing allowance. */
export const NO_PERMIT = {
  value: 0n,
  deadline: 0n,
  v: 0,
  r: '0x0000000000000000000000000000000000000000000000000000000000000000',
  s: '0x0000000000000000000000000000000000000000000000000000000000000000',
} as const;
