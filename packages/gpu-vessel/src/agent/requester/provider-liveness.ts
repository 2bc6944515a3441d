/**
 * The requester's watch over the providers of its jobs (issue 15: preemption with no ALLOCATOR key). A provider that
 * is not connected for `graceMs` is preempted by the requester itself — the party that pays for the job and holds
 * the mirror of every checkpoint the provider reported — at the newest mirrored checkpoint whose last segment
 * re-runs exactly here (pro-rata pay up to there, the rest resumes elsewhere); any coordinator then reassigns it from
 * the job's new seeded shortlist. Where the market still reserves preemption to a role (a deployment before the
 * keyless rule), the chain refuses the call; the requester then leaves the job to the role holder and says so once.
 */
import { AicError } from '@aic/core';
import { jobStateName } from '@aic/ledger';
import { BaseError, ContractFunctionRevertedError } from 'viem';
import { decodeJobTicket } from '../../jobs/job-ticket.ts';
import { defaultJobDataDir, loadTicketDataset, removeJobData } from '../../jobs/ticket-data.ts';
import { checkSegment } from '../../verify/check-committed-job.ts';
import { type AgentContext, specHashOf } from '../context.ts';
import { isRevertOf } from '../coordinator-shortlist.ts';
import type { JobRecord } from '../job-record.ts';
import type { RoleScope } from '../lifecycle.ts';
import { nodeAccountOnly, type RequesterAccounts } from './job-payers.ts';
import type { JobStore } from './job-store.ts';

/** Newest mirrored checkpoints tried (each costs one segment's re-run). */
const CANDIDATES = 3;

/**
 * Whether the market lets this node's account preempt `jobId` now (a dry run at `resumeFrom`, no pay): false where it
 * reserves preemption to a role this account lacks (AccessControlUnauthorizedAccount) or to the job's requester
 * (NotRequester). Callers ask before re-running any segment. `account`: who would send it (a requester asks for
 * the fresh payer account that escrowed its job).
 */
export async function mayPreempt(
  ctx: AgentContext,
  jobId: bigint,
  resumeFrom: number,
  account: `0x${string}` = ctx.ledger.account(),
): Promise<boolean> {
  const { ledger } = ctx;
  try {
    await ledger.publicClient.simulateContract({
      address: ledger.market.address,
      abi: ledger.market.abi,
      functionName: 'preemptJob',
      args: [jobId, resumeFrom],
      account,
    });
    return true;
  } catch (error) {
    const reverted = error instanceof BaseError ? error.walk((e) => e instanceof ContractFunctionRevertedError) : null;
    const name = reverted instanceof ContractFunctionRevertedError ? reverted.data?.errorName : undefined;
    if (name === 'AccessControlUnauthorizedAccount' || name === 'NotRequester') return false;
    throw error;
  }
}

export class ProviderLiveness {
  /** This node's jobs being trained, and their provider (from the chain's events). */
  readonly #active = new Map<bigint, string>();
  readonly #silentSince = new Map<bigint, number>();
  readonly #busy = new Set<bigint>();
  /** Jobs the market would not let this requester preempt (a role-gated deployment). */
  readonly #refused = new Set<bigint>();

  constructor(
    private readonly ctx: AgentContext,
    private readonly store: JobStore,
    private readonly scope: RoleScope,
    private readonly graceMs: number,
    /** Who is each job's requester on chain (the fresh payer that escrowed it: job-payers.ts). */
    private readonly accounts: RequesterAccounts = nodeAccountOnly(ctx),
  ) {}

  start(): void {
    const own = async (jobId: bigint) => (await this.store.get(jobId)) !== undefined;
    const placed = async (e: { args: { jobId: bigint; provider: `0x${string}` } }) => {
      if (await own(e.args.jobId)) this.#active.set(e.args.jobId, e.args.provider.toLowerCase());
    };
    const done = (e: { args: { jobId: bigint } }) => {
      this.#active.delete(e.args.jobId);
      this.#silentSince.delete(e.args.jobId);
    };
    this.scope.defer(
      this.ctx.watcher.on({
        JobAssigned: placed,
        JobReassigned: placed,
        JobPreempted: done,
        ResultCommitted: done,
        JobExpired: done,
      }),
    );
    this.scope.every(1_000, () => this.#check());
  }

  #check(): void {
    const connected = new Set(this.ctx.net.getPeers().map((p) => p.address?.toLowerCase()));
    const me = this.ctx.ledger.account().toLowerCase();
    for (const [jobId, provider] of this.#active) {
      // A job this node also runs (a coordinator's canary) is not "unreachable": it is not among its own peers.
      if (provider === me || this.#busy.has(jobId) || this.#refused.has(jobId)) continue;
      if (connected.has(provider)) {
        this.#silentSince.delete(jobId);
        continue;
      }
      const since = this.#silentSince.get(jobId) ?? Date.now();
      this.#silentSince.set(jobId, since);
      if (Date.now() - since < this.graceMs) continue;
      this.#busy.add(jobId);
      void this.scope
        .spawn('preemption', () => this.#preempt(jobId), { jobId: String(jobId) })
        .finally(() => this.#busy.delete(jobId));
    }
  }

  async #preempt(jobId: bigint): Promise<void> {
    const { ledger, log } = this.ctx;
    const job = await ledger.market.read.jobOf([jobId]);
    if (!['Assigned', 'Running', 'Reassigned'].includes(jobStateName(job.state))) return;
    const record = await this.store.get(jobId);
    if (!record) return;
    // The chain lets the job's requester preempt at the checkpoints it attests: that is the payer's key.
    const requester = await this.accounts.requesterOf(record);
    if (!(await mayPreempt(this.ctx, jobId, job.resumeFrom, requester.ledger.account()))) {
      this.#refused.add(jobId);
      log.info({ jobId: String(jobId) }, 'preemption is reserved to a role on this market: left to its holder');
      return;
    }
    const verified = await this.#verifiedCheckpoints(record, job);
    try {
      const { ledger: as, send } = requester;
      await send(() => as.confirm('preemptJob', () => as.market.write.preemptJob([jobId, verified])));
    } catch (error) {
      // Another party preempted first (IllegalTransition), or this deployment reserves preemption to a role.
      if (isRevertOf(error, 'IllegalTransition')) return;
      if (isRevertOf(error, 'AccessControlUnauthorizedAccount', 'NotRequester')) {
        this.#refused.add(jobId);
        log.info({ jobId: String(jobId) }, 'preemption is reserved to a role on this market: left to its holder');
        return;
      }
      throw error;
    }
    log.info({ jobId: String(jobId), provider: job.provider, verifiedCheckpoints: verified }, 'job preempted');
  }

  /** The newest mirrored checkpoint k whose segment k−1 re-runs to the reported c_k (else where the job resumed);
   * without the dataset's key here, the newest mirrored one. */
  async #verifiedCheckpoints(
    record: JobRecord,
    job: { resumeFrom: number; checkpointCount: number; datasetId: number; modelId: number },
  ): Promise<number> {
    const mirrored = await record.mirroredIndices();
    const candidates = mirrored
      .filter((k) => k > job.resumeFrom && k < job.checkpointCount && mirrored.includes(k - 1))
      .sort((a, b) => b - a)
      .slice(0, CANDIDATES);
    if (candidates.length === 0) return job.resumeFrom;
    const { ledger, assets } = this.ctx;
    const ticket = decodeJobTicket(record.ticket, await specHashOf(ledger, record.jobId));
    const dir = defaultJobDataDir(ledger.account(), record.jobId);
    const init = { ledger, assets, job, jobId: record.jobId, dir, signal: this.scope.signal };
    const data = await loadTicketDataset(init, ticket)
      .catch((error: unknown) => {
        // A requester is not given a job-only dataset's key (only the provider, verifiers and referees are): it
        // pays for the newest mirrored checkpoint, whose bytes hash to the commitment the provider reported (the
        // mirror checked that); the segments themselves are re-run by the job's verifier after the commitment.
        this.ctx.log.info({ jobId: String(record.jobId), err: String(error) }, 'preempting at the mirrored checkpoint');
        return undefined;
      })
      .finally(() => removeJobData(dir));
    if (data === undefined) return candidates[0]!;
    const input = {
      spec: ticket.spec,
      data,
      commitments: record.contiguousCommitments(),
      loadCheckpoint: async (i: number) => {
        const c = await record.checkpoint(i);
        if (!c) throw new AicError('JOB_RESUME_UNAVAILABLE', `checkpoint ${i} left the mirror`);
        return c;
      },
    };
    for (const k of candidates) if (await checkSegment(input, k - 1)) return k;
    return job.resumeFrom;
  }
}
