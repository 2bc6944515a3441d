/**
 * Which ComputeMarket jobs are a validator's verified work, and how much it weighs: pure rules over the job records
 * and verdict events a node reads from its own chain at a block's parent state (node/work-reader.ts does the reads).
 *
 * A job is verified work of its provider when, at the parent state, its designated verifier accepted it
 * (`VerdictSubmitted(jobId, verifier, true)` on the parent's ancestry) and it is still Verifying or Settled with that
 * verdict (a dispute that slashed the provider takes it out again). Its weight is checkpoints × a declared FLOP figure:
 * `(checkpointCount − resumeFrom) × flopsPerCheckpoint` — the checkpoints the accepted assignment trained, times the
 * chain's declared FLOPs per checkpoint (genesis file `work.flopsPerCheckpoint`; the market records checkpoints, not
 * FLOPs). The header names it as (jobId, modelId, sessionId = resumeFrom: the assignment that did the work).
 */
import { type Address, getAddress, zeroAddress } from 'viem';
import type { WorkItem } from './work.ts';

/** ComputeMarket `JobState` values (packages/ledger contracts/compute/JobTypes.sol) that keep a valid verdict. */
export const JOB_STATE_VERIFYING = 6;
export const JOB_STATE_SETTLED = 7;

/** The fields of a ComputeMarket `jobOf(jobId)` record the rule reads. */
export interface MarketJob {
  readonly jobId: bigint;
  readonly provider: Address;
  readonly modelId: bigint;
  readonly state: number;
  readonly verifier: Address;
  readonly verdictValid: boolean;
  readonly checkpointCount: bigint;
  readonly resumeFrom: bigint;
}

/** A valid verdict seen on a block's ancestry: which job, and the epoch of the block that recorded it. */
export interface VerdictSeen {
  readonly jobId: bigint;
  readonly verifier: Address;
  readonly verifiedEpoch: bigint;
}

/**
 * The work item a valid verdict makes of `job` (read at the same parent state), or null when the job is not (or no
 * longer) verified work: unknown, no valid verdict, disputed or slashed since, another verifier's verdict, or nothing
 * trained.
 */
export function workItemOf(job: MarketJob, verdict: VerdictSeen, flopsPerCheckpoint: bigint): WorkItem | null {
  if (job.jobId !== verdict.jobId || !job.verdictValid) return null;
  if (job.state !== JOB_STATE_VERIFYING && job.state !== JOB_STATE_SETTLED) return null;
  if (job.provider === zeroAddress || getAddress(job.verifier) !== getAddress(verdict.verifier)) return null;
  const checkpoints = job.checkpointCount - job.resumeFrom;
  if (checkpoints <= 0n || flopsPerCheckpoint <= 0n) return null;
  return {
    nodeAccount: getAddress(job.provider),
    jobId: job.jobId,
    modelId: job.modelId,
    sessionId: job.resumeFrom,
    flops: checkpoints * flopsPerCheckpoint,
    verifiedEpoch: verdict.verifiedEpoch,
  };
}

/**
 * The verdicts that count, newest first as a node meets them walking back from the parent: one per job (a job
 * verified again after a dispute counts once, at its newest verdict).
 */
export function latestVerdicts(verdictsNewestFirst: readonly VerdictSeen[]): VerdictSeen[] {
  const seen = new Set<bigint>();
  const out: VerdictSeen[] = [];
  for (const v of verdictsNewestFirst) {
    if (seen.has(v.jobId)) continue;
    seen.add(v.jobId);
    out.push(v);
  }
  return out;
}
