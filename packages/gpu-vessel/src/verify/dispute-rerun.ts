/**
 * A referee's re-run of a disputed job (DESIGN.md §7, issue 15): it fetches the ticket, the commitments and the
 * checkpoints it needs over the network (from the requester's mirror, else from the provider), re-runs the segments
 * the job's verification seed sampled — the same ones its verifier had to re-run — and, when one does not reproduce,
 * bisects between the seeded initial state and that segment's end to the first segment the provider provably did not
 * compute. Its answer is the referee's vote: did the provider cheat?
 */
import { join } from 'node:path';
import { isAicError } from '@aic/core';
import { commitmentRoot, type RuntimeBackend } from '@aic/model-vessel';
import { quoteVerification } from '@aic/verification';
import {
  type AgentContext,
  committedResultOf,
  fetchJobTicket,
  peerOfAddress,
  retryTransient,
} from '../agent/context.ts';
import { fetchCheckpoint } from '../jobs/checkpoint-transfer.ts';
import { jobSampleKey } from '../jobs/job-key.ts';
import { defaultJobDataDir, loadTicketDataset, removeJobData } from '../jobs/ticket-data.ts';
import { checkCommittedJob } from './check-committed-job.ts';
import { findDivergentSegment, segmentRecompute } from './dispute.ts';

export interface DisputeRerunPolicy {
  confidence: number;
  cheatFraction: number;
  /** Where the job's dataset is materialized for the re-run (default: under tmp). */
  dataDir?: string;
  backends?: readonly RuntimeBackend[];
}

export interface DisputeFinding {
  readonly providerCheated: boolean;
  /** Sampled segments that did not reproduce. */
  readonly mismatches: readonly number[];
  /** The first segment bisection found the provider did not compute (when it cheated and the range allowed it). */
  readonly divergentSegment?: number;
  readonly reason?: string;
}

/** Re-runs disputed job `jobId` as a referee; throws only on failures worth a retry (network, chain). */
export async function rerunDisputedJob(
  ctx: AgentContext,
  policy: DisputeRerunPolicy,
  jobId: bigint,
  signal: AbortSignal,
): Promise<DisputeFinding> {
  const { ledger, net } = ctx;
  const job = await ledger.market.read.jobOf([jobId]);
  const fetched = await fetchJobTicket(ctx, { jobId, requester: job.requester }, { signal, deadlineMs: 60_000 });
  const { ticket, requester, commitments } = fetched;
  const { checkpointRoot, provider } = await committedResultOf(ledger, jobId);
  const segments = job.checkpointCount;
  if (commitments.length !== segments + 1 || commitmentRoot(commitments) !== checkpointRoot) {
    return { providerCheated: true, mismatches: [], reason: 'reported commitments do not match the committed root' };
  }
  const loadCheckpoint = (i: number) =>
    retryTransient(
      ctx,
      'checkpoint fetch',
      async () => {
        try {
          return await fetchCheckpoint(net, requester, jobId, i, signal);
        } catch (error) {
          if (!isAicError(error, 'CHECKPOINT_NOT_FOUND') && !isAicError(error, 'CHECKPOINT_FETCH_FAILED')) throw error;
          return await fetchCheckpoint(net, await peerOfAddress(ctx, provider, signal), jobId, i, signal);
        }
      },
      { jobId, signal, attempts: 6 },
    );
  const dir = policy.dataDir ? join(policy.dataDir, `referee-${jobId}`) : defaultJobDataDir(ledger.account(), jobId);
  const data = await loadTicketDataset(
    { ledger, assets: ctx.assets, job, jobId, dir, signal, log: ctx.log },
    ticket,
  ).finally(() => removeJobData(dir));
  const seed = await ledger.market.read.assignmentSeed([jobId]);
  const { samples } = quoteVerification({
    segments,
    confidence: policy.confidence,
    cheatFraction: policy.cheatFraction,
  });
  const input = {
    spec: ticket.spec,
    data,
    commitments,
    loadCheckpoint,
    ...(policy.backends ? { backends: policy.backends } : {}),
  };
  const verdict = await checkCommittedJob({
    ...input,
    seed,
    jobKey: jobSampleKey(jobId),
    samples,
    commitmentRoot: checkpointRoot,
    signal,
  });
  if (verdict.valid) return { providerCheated: false, mismatches: [] };
  if (verdict.mismatches.length === 0) return { providerCheated: true, mismatches: [], reason: 'forged initial state' };
  const first = Math.min(...verdict.mismatches);
  // Segment `first` ends at commitment first + 1, which does not reproduce: bisect (0, first + 1] for the earliest
  // segment the provider provably did not compute (O(log n) one-segment re-runs from its own checkpoints).
  let divergentSegment = first;
  if (first > 0) {
    const found = await findDivergentSegment({
      commitments,
      recompute: segmentRecompute(input),
      hi: first + 1,
    }).catch(() => undefined);
    if (found) divergentSegment = found.segment;
  }
  return { providerCheated: true, mismatches: verdict.mismatches, divergentSegment };
}
