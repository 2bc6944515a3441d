/**
 * The provider's chain steps for one job, each retried in place on a transient failure: reading the job, resuming
 * a reassigned job from the requester's mirrored checkpoint, and sending `startJob` / `commitResult`. One attempt at
 * a job makes dozens of chain calls; one failed call must not cost the whole attempt (ticket, data, worker start).
 */
import { AicError } from '@aic/core';
import { jobStateName } from '@aic/ledger';
import { type Commitment, listCheckpoints, saveCheckpoint } from '@aic/model-vessel';
import { fetchCheckpoint } from '../jobs/checkpoint-transfer.ts';
import { type AgentContext, retryTransient } from './context.ts';

/** The first wait of a step retried in place (absent: retryTransient's own). */
export type StepRetryBase = { baseMs?: number };

/** The job as the chain has it, a failed read retried. */
export function readJob(ctx: AgentContext, jobId: bigint, signal: AbortSignal, base: StepRetryBase) {
  const o = { jobId, signal, ...base };
  return retryTransient(ctx, 'job read', () => ctx.ledger.market.read.jobOf([jobId]), o);
}

/**
 * Sends `startJob` or `commitResult` unless the job is already past it (`done`: a send whose receipt wait failed may
 * have been mined), retrying a transient failure after reading the job again — in the issue 18 soak these sends
 * failed at 10 % RPC failures in attempt after attempt, each restarting from the ticket fetch with a growing wait.
 * A revert (the job is no longer this provider's to start or commit) stays final.
 */
export async function sendChainStep(
  ctx: AgentContext,
  jobId: bigint,
  call: 'startJob' | 'commitResult',
  done: readonly string[],
  signal: AbortSignal,
  base: StepRetryBase,
  args: [`0x${string}`, string] | [] = [],
): Promise<void> {
  const { ledger } = ctx;
  const me = ledger.account().toLowerCase();
  await retryTransient(
    ctx,
    call,
    async () => {
      const job = await ledger.market.read.jobOf([jobId]);
      if (job.provider.toLowerCase() === me && done.includes(jobStateName(job.state))) return;
      await ctx.send(() =>
        ledger.confirm(call, () =>
          call === 'startJob'
            ? ledger.market.write.startJob([jobId])
            : ledger.market.write.commitResult([jobId, ...(args as [`0x${string}`, string])]),
        ),
      );
    },
    { jobId, signal, ...base },
  );
}

/**
 * A reassigned job continues from the requester's mirrored checkpoint unless a newer local one exists. Returns the
 * mirrored checkpoint's commitments once it is saved in `dir` (the run's reported ones), else undefined.
 */
export async function resumeFromMirror(
  ctx: AgentContext,
  r: {
    jobId: bigint;
    dir: string;
    resumeFrom: number;
    commitments: readonly Commitment[];
    requester: string;
    signal: AbortSignal;
  },
): Promise<Commitment[] | undefined> {
  const { jobId, resumeFrom, signal } = r;
  if (resumeFrom === 0) return undefined;
  const target = r.commitments[resumeFrom];
  if (!target)
    throw new AicError('JOB_RESUME_UNAVAILABLE', `requester has no commitment ${resumeFrom} of job ${jobId}`);
  const local = await listCheckpoints(r.dir).catch(() => [] as number[]);
  if (local.some((step) => step >= target.step)) return undefined;
  const checkpoint = await retryTransient(
    ctx,
    'resume checkpoint fetch',
    () => fetchCheckpoint(ctx.net, r.requester, jobId, resumeFrom, signal),
    { jobId, signal },
  );
  if (checkpoint.commitments.at(-1)?.hash !== target.hash || checkpoint.step !== target.step) {
    throw new AicError(
      'JOB_RESUME_MISMATCH',
      `mirrored checkpoint ${resumeFrom} of job ${jobId} is not the reported one`,
    );
  }
  await saveCheckpoint(r.dir, checkpoint);
  return [...checkpoint.commitments];
}
