/**
 * The coordinator's rulings over a job: preempting a silent provider at the newest mirrored checkpoint whose last
 * segment re-runs exactly (pro-rata pay up to there), and — only as the DisputeCourt's fallback, while it cannot seat
 * a committee — arbitrating a dispute by re-running the segments the designated verifier sampled (same public seed).
 * Both re-read the job before acting and retry transient fetches.
 */
import { computeMarketAbi, disputeCourtAbi, jobStateName } from '@aic/ledger';
import { quoteVerification } from '@aic/verification';
import { fetchCheckpoint } from '../jobs/checkpoint-transfer.ts';
import { jobSampleKey } from '../jobs/job-key.ts';
import type { JobTicket } from '../jobs/job-ticket.ts';
import { defaultJobDataDir, loadTicketDataset, removeJobData } from '../jobs/ticket-data.ts';
import { checkCommittedJob, checkSegment } from '../verify/check-committed-job.ts';
import { type AgentContext, fetchJobTicket, retryTransient } from './context.ts';

/** Preempts `jobId` if it is still being trained; resolves to whether it did. */
export async function preemptSilentProvider(ctx: AgentContext, jobId: bigint, signal: AbortSignal): Promise<boolean> {
  const { ledger, net, log } = ctx;
  const job = await ledger.market.read.jobOf([jobId]);
  if (!['Assigned', 'Running', 'Reassigned'].includes(jobStateName(job.state))) return false;
  const fetched = await fetchJobTicket(ctx, { jobId, requester: job.requester }, { signal });
  const { ticket, requester } = fetched;
  const data = await rulingData(ctx, job, jobId, ticket, signal);
  const candidates = fetched.mirrored
    .filter((k) => k > job.resumeFrom && k < job.checkpointCount && fetched.mirrored.includes(k - 1))
    .sort((a, b) => b - a);
  let verified: number = job.resumeFrom;
  const input = {
    spec: ticket.spec,
    data,
    commitments: fetched.commitments,
    loadCheckpoint: (i: number) =>
      retryTransient(ctx, 'checkpoint fetch', () => fetchCheckpoint(net, requester, jobId, i, signal), {
        jobId,
        signal,
      }),
  };
  for (const k of candidates.slice(0, 3)) {
    if (await checkSegment(input, k - 1)) {
      verified = k;
      break;
    }
  }
  await ctx.send(() => ledger.confirm('preemptJob', () => ledger.market.write.preemptJob([jobId, verified])));
  log.info({ jobId: String(jobId), provider: job.provider, verifiedCheckpoints: verified }, 'job preempted');
  return true;
}

/** Whether the ARBITER_ROLE fallback may rule `jobId`'s dispute: no court seated, or the court cannot seat a
 * committee for it (too few staked verifiers besides the parties; DisputeCourt.fallbackOpen). */
export async function arbiterMayRule(ctx: AgentContext, jobId: bigint): Promise<boolean> {
  const { market, publicClient } = ctx.ledger;
  const court = await market.read.court();
  if (/^0x0{40}$/i.test(court)) return true;
  return await publicClient.readContract({
    address: court,
    abi: disputeCourtAbi,
    functionName: 'fallbackOpen',
    args: [jobId],
  });
}

/** Re-runs the segments the designated verifier sampled; a mismatch proves the cheat. Rules on chain (fallback). */
export async function arbitrateDispute(
  ctx: AgentContext,
  policy: { confidence: number; cheatFraction: number },
  jobId: bigint,
  signal: AbortSignal,
): Promise<void> {
  const { ledger, net, log } = ctx;
  const job = await ledger.market.read.jobOf([jobId]);
  if (jobStateName(job.state) !== 'Disputed') return;
  const fetched = await fetchJobTicket(ctx, { jobId, requester: job.requester }, { signal });
  const { ticket, requester } = fetched;
  const segments = job.checkpointCount;
  const seed = await ledger.market.read.assignmentSeed([jobId]);
  const { samples } = quoteVerification({
    segments,
    confidence: policy.confidence,
    cheatFraction: policy.cheatFraction,
  });
  let cheated = fetched.commitments.length !== segments + 1;
  let bad: readonly number[] = [];
  if (!cheated) {
    const verdict = await checkCommittedJob({
      spec: ticket.spec,
      data: await rulingData(ctx, job, jobId, ticket, signal),
      commitments: fetched.commitments,
      seed,
      jobKey: jobSampleKey(jobId),
      samples,
      loadCheckpoint: (i) =>
        retryTransient(ctx, 'checkpoint fetch', () => fetchCheckpoint(net, requester, jobId, i, signal), {
          jobId,
          signal,
        }),
      signal,
    });
    bad = verdict.mismatches;
    cheated = !verdict.valid;
  }
  const rightVerifier = cheated ? job.verifier : await otherVerifier(ctx, job.verifier);
  await ctx.send(() =>
    ledger.confirm('resolveDispute', () => ledger.market.write.resolveDispute([jobId, cheated, rightVerifier])),
  );
  log.info({ jobId: String(jobId), providerCheated: cheated, divergentSegments: bad }, 'dispute resolved');
}

/** The job's training data for a re-run: the published dataset (plaintext removed after). */
async function rulingData(
  ctx: AgentContext,
  job: { datasetId: number; modelId: number },
  jobId: bigint,
  ticket: JobTicket,
  signal: AbortSignal,
) {
  const dir = defaultJobDataDir(ctx.ledger.account(), jobId);
  const init = { ledger: ctx.ledger, assets: ctx.assets, job, jobId, dir, signal };
  return await loadTicketDataset(init, ticket).finally(() => removeJobData(dir));
}

/** A staked verifier other than the one proven wrong (the contract pays it the verifier fee and requires a stake):
 * from the chain's VerifierRegistered events, the first still staked. */
async function otherVerifier(ctx: AgentContext, wrong: `0x${string}`): Promise<`0x${string}`> {
  const { market, publicClient } = ctx.ledger;
  const registered = await publicClient.getContractEvents({
    address: market.address,
    abi: computeMarketAbi,
    eventName: 'VerifierRegistered',
    fromBlock: 0n,
  });
  const { minStake } = await market.read.verifierTerms();
  for (const event of registered) {
    const candidate = event.args.verifier;
    if (!candidate || candidate.toLowerCase() === wrong.toLowerCase()) continue;
    const record = await market.read.verifierOf([candidate]);
    if (record.registered && record.stake >= minStake) return candidate;
  }
  return wrong;
}
