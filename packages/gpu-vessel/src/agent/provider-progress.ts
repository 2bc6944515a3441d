/**
 * How a provider's run reports to its requester over `jobProgressProtocol`: progress and commitments in order, one
 * at a time (the requester records commitments by index and mirrors each checkpoint once), and the check before the
 * root goes on chain that the requester holds every commitment (verifiers read them from there).
 */
import { AicError } from '@aic/core';
import type { Commitment } from '@aic/model-vessel';
import { createSerialQueue } from '../chain/serial.ts';
import { jobProgressProtocol } from '../jobs/protocols.ts';
import { type AgentContext, errorLine, fetchJobTicket, retryTransient } from './context.ts';

export type ProgressBody = Parameters<typeof jobProgressProtocol.request.toWire>[0];

/** A job's report stream to its requester (a peer id). */
export interface ProgressStream {
  /** Queues one report; never throws (a report not delivered is logged). */
  push(body: ProgressBody): void;
  /** Resolves once every report queued so far was sent (or given up). */
  drain(): Promise<void>;
}

/** Plain progress is best effort; a commitment is retried for longer (a requester restarting), and any still
 * missing is re-reported before the commitment (deliverCommitments). */
export function createProgressStream(
  ctx: AgentContext,
  jobId: bigint,
  requester: string,
  signal: AbortSignal,
): ProgressStream {
  const inOrder = createSerialQueue();
  return {
    push: (body) =>
      void inOrder(() =>
        retryTransient(ctx, 'progress', () => ctx.net.request(requester, jobProgressProtocol, body, { signal }), {
          jobId,
          signal,
          attempts: body.checkpoint ? 6 : 2,
        }),
      ).catch((error: unknown) => {
        if (!signal.aborted) ctx.log.warn({ jobId: String(jobId), err: errorLine(error) }, 'progress not delivered');
      }),
    drain: () => inOrder(async () => undefined),
  };
}

/** Checks that the requester holds every commitment of the run (a requester killed and restarted mid-job missed
 * the ones sent while it was down) and re-reports the missing ones until it does: a verifier given a partial list
 * would call an honest run a cheat. */
export async function deliverCommitments(
  ctx: AgentContext,
  jobId: bigint,
  requesterAddress: string,
  commitments: readonly Commitment[],
  totalSteps: number,
  signal: AbortSignal,
): Promise<void> {
  await retryTransient(
    ctx,
    'commitment delivery',
    async () => {
      const held = await fetchJobTicket(ctx, { jobId, requester: requesterAddress }, { signal });
      const missing = commitments.flatMap((c, index) => (held.commitments[index]?.hash === c.hash ? [] : [index]));
      if (missing.length === 0) return;
      ctx.log.warn({ jobId: String(jobId), missing: missing.length }, 'requester lacks commitments: re-reporting');
      for (const index of missing) {
        const c = commitments[index]!;
        const checkpoint = { index, step: c.step, hash: c.hash };
        const body = { jobId: String(jobId), step: c.step, totalSteps, checkpoint };
        await ctx.net.request(held.requester, jobProgressProtocol, body, { signal });
      }
      throw new AicError('JOB_COMMITMENTS_UNDELIVERED', `requester lacked ${missing.length} commitments`);
    },
    { jobId, signal, attempts: 8 },
  );
}
