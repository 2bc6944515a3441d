/**
 * The GPU Vessel agent (DESIGN.md §6): stakes for its hardware class, advertises offers over gossip, answers
 * hardware-class challenges (served by the node), and runs every job the chain assigns to it — ticket from the
 * requester (checked against the escrowed specHash), data checked against the Dataset NFT, training in the sandboxed
 * worker process, progress and checkpoint commitments streamed to the requester, the Merkle root committed on chain.
 * After its own restart it resumes its open jobs from its last checkpoint; a reassigned job starts from the
 * checkpoint the requester mirrored. Its reports to the requester are provider-progress.ts, its chain steps
 * provider-chain-steps.ts.
 */
import { join } from 'node:path';
import { isAicError, retry } from '@aic/core';
import { DEFAULT_PRESET } from '@aic/core/params';
import { jobStateName } from '@aic/ledger';
import { type Commitment, type JobSpec, loadCheckpointFiles } from '@aic/model-vessel';
import type { ProviderOffer } from '@aic/network';
import type { CheckpointFiles } from '../jobs/checkpoint-transfer.ts';
import type { JobTicket } from '../jobs/job-ticket.ts';
import { materializeTicketData, removeJobData, type TicketData } from '../jobs/ticket-data.ts';
import { type AgentContext, errorLine, fetchJobTicket, isTransient, retryTransient } from './context.ts';
import { groupSizeOf, type MsmgLeadService } from './group-service.ts';
import { RoleScope, type Startable } from './lifecycle.ts';
import { readJob, resumeFromMirror, type StepRetryBase, sendChainStep } from './provider-chain-steps.ts';
import { createProgressStream, deliverCommitments } from './provider-progress.ts';
import { assertBackendOffered, ensureProviderStake } from './provider-stake.ts';

/** One training run in the worker process: resumes from the newest checkpoint of the job found in checkpointDir. */
export type TrainingRunner = (
  init: {
    spec: JobSpec;
    /** The published dataset's plaintext shards in the job's sandbox dir. */
    dataset: TicketData;
    checkpointDir: string;
    fault?: { fakeSegmentFraction: number; seed: number } | undefined;
  },
  hooks: {
    onProgress(p: { step: number; totalSteps: number; loss?: number; accuracy?: number }): void;
    onCheckpoint(c: { index: number; step: number; hash: `0x${string}` }): void;
    signal: AbortSignal;
  },
) => Promise<{ commitmentRoot: `0x${string}`; resultCid: string; commitments: readonly Commitment[] }>;

const ASSET_REFUSALS = new Set([
  'JOB_ASSET_KIND_MISMATCH',
  'JOB_ASSETS_UNAVAILABLE',
  'JOB_BACKEND_UNAVAILABLE',
  'JOB_DATASET_MISMATCH',
  'JOB_MODEL_ROOT_MISMATCH',
  'JOB_SCHEMA_MISMATCH',
  'JOB_TICKET_ASSET_MISMATCH',
  'JOB_TICKET_UNSUPPORTED',
]);

/** Where a job is once its provider's result is on chain. */
const COMMITTED = ['Committed', 'Verifying', 'Disputed', 'Settled'] as const;

export interface ProviderAgentInit {
  /** Where job checkpoints live (`<root>/<jobId>/checkpoints`). */
  root: string;
  hwClass: number;
  stakeWei: bigint;
  /** The offer body without the price (hardware, capacity, cached datasets). */
  offer: Omit<ProviderOffer, 'priceWeiPerHour' | 'coordinate'>;
  priceWeiPerHour: bigint;
  republishMs?: number;
  /** Attempts at running one assigned job before giving up on it (default 4, backoff 2, 4, 8 s). */
  runAttempts?: number;
  /** First wait between job attempts (default 2 s; each next one twice as long, at most 30 s); when set, also the
   * first wait of a chain step retried in place (default 0.5 s). */
  runRetryBaseMs?: number;
  /** TEST-ONLY fault injection: report random commitments for this fraction of segments (a cheater). */
  fakeSegmentFraction?: number;
}

export class ProviderAgent implements Startable {
  readonly #running = new Map<bigint, Promise<void>>();
  /** The commitments this agent reported per job (index → checkpoint step), for serving checkpoints. */
  readonly #reported = new Map<bigint, Commitment[]>();
  readonly #scope: RoleScope;

  constructor(
    private readonly ctx: AgentContext,
    private readonly init: ProviderAgentInit,
    private readonly train: TrainingRunner,
    /** MSMG: a job whose ticket asks for a group is led here (members join over the network). */
    private readonly group?: MsmgLeadService,
  ) {
    this.#scope = new RoleScope('provider', ctx.log);
  }

  /** Stakes if needed, then runs every job the chain assigns to this key — after its own restart too: the watcher
   * replays the assignments from genesis to this role only, and `#run` re-reads each job before acting. */
  async start(): Promise<void> {
    try {
      await retryTransient(
        this.ctx,
        'provider registration',
        () => ensureProviderStake(this.ctx, this.init.hwClass, this.init.stakeWei),
        {
          signal: this.#scope.signal,
        },
      );
      const me = this.ctx.ledger.account().toLowerCase();
      const assigned = (event: { args: { jobId: bigint; provider: string } }) => {
        if (event.args.provider.toLowerCase() === me) void this.runJob(event.args.jobId);
      };
      this.#scope.defer(this.ctx.watcher.on({ JobAssigned: assigned, JobReassigned: assigned }, { replayFrom: 0n }));
      const publish = () =>
        void this.ctx.net
          .publishOffer({ ...this.init.offer, priceWeiPerHour: this.init.priceWeiPerHour })
          .catch((error: unknown) => this.ctx.log.warn({ err: errorLine(error) }, 'offer not published'));
      publish();
      this.#scope.every(this.init.republishMs ?? DEFAULT_PRESET.provider.offerRepublishMs, publish);
    } catch (error) {
      await this.stop();
      throw error;
    }
  }

  /** Stops offering and taking jobs, aborts the runs in flight (their workers are killed) and waits for them. */
  async stop(): Promise<void> {
    await this.#scope.close();
  }

  /** Checkpoints of this provider's runs, for the requester's mirror and for verifiers. */
  async checkpointSource(jobId: bigint, index: number): Promise<CheckpointFiles | undefined> {
    const step = this.#reported.get(jobId)?.[index]?.step;
    if (step === undefined) return undefined;
    try {
      // served as written by the worker, unparsed: every receiver checks it against the commitment anyway
      return await loadCheckpointFiles(this.#checkpointDir(jobId), step);
    } catch {
      return undefined;
    }
  }

  /** Runs an assigned job (a second call while it runs joins the first). A failed attempt (the requester briefly
   * unreachable, a worker crash) is retried after a backoff, resuming from the local checkpoints: a provider that
   * stays connected but gave up would hold the job forever, since the coordinator only preempts silent providers. */
  runJob(jobId: bigint): Promise<void> {
    let run = this.#running.get(jobId);
    if (!run) {
      run = this.#scope
        .spawn('job', () => this.#runWithRetries(jobId), { jobId: String(jobId) })
        .finally(() => this.#running.delete(jobId));
      this.#running.set(jobId, run);
    }
    return run;
  }

  async #runWithRetries(jobId: bigint): Promise<void> {
    const signal = this.#scope.signal;
    // Transient failures (an RPC call or a stream that failed; one attempt makes dozens of calls, so at 10 % RPC
    // failures nearly every attempt meets one) are retried for as long as the job is this provider's: each attempt
    // first reads the job and ends quietly once it is settled, reassigned or expired. Other failures get
    // `runAttempts` in all; a ticket the chain contradicts (kinds, roots, misfit) reads the same on every attempt.
    let lasting = 0;
    await retry(() => this.#run(jobId, signal), {
      attempts: Number.POSITIVE_INFINITY,
      baseMs: this.init.runRetryBaseMs ?? 2_000,
      maxMs: 30_000,
      signal,
      retryable: (error) => {
        if (isAicError(error) && ASSET_REFUSALS.has(error.code)) return false;
        // The worker failing (out of memory, over its time, crashed) would fail the same way again.
        if (isTransient(error) && !(isAicError(error) && error.code.startsWith('WORKER_'))) return true;
        lasting++;
        return lasting < (this.init.runAttempts ?? 4);
      },
      onRetry: ({ error, attempt }) =>
        this.ctx.log.error({ jobId: String(jobId), attempt, err: errorLine(error) }, 'job attempt failed'),
    }).catch((error: unknown) => {
      if (!signal.aborted) this.ctx.log.error({ jobId: String(jobId), err: errorLine(error) }, 'job failed');
    });
  }

  async #run(jobId: bigint, signal: AbortSignal): Promise<void> {
    const { ledger, log } = this.ctx;
    const job = await readJob(this.ctx, jobId, signal, this.#stepRetryBase());
    const state = jobStateName(job.state);
    if (job.provider.toLowerCase() !== ledger.account().toLowerCase()) return;
    if (state !== 'Assigned' && state !== 'Reassigned' && state !== 'Running') return;
    // A requester that is restarting is waited for (bounded), not given up on.
    const fetched = await fetchJobTicket(this.ctx, { jobId, requester: job.requester }, { signal });
    const { ticket, requester } = fetched;
    assertBackendOffered(jobId, ticket.spec.backend, this.init.offer.hardware.backends);
    const dataDir = join(this.init.root, String(jobId), 'data');
    // The asset checks and the data fetch read the chain and the holders: a failed read is retried here too (in the
    // issue 18 soak `assetOf` failed in attempt after attempt); a refusal (kinds, roots, misfit) stays final.
    const prepared = await retryTransient(
      this.ctx,
      'job data',
      () => this.#prepareData(jobId, job, ticket, dataDir, signal),
      { jobId, signal, ...this.#stepRetryBase() },
    );
    const dir = this.#checkpointDir(jobId);
    const resumed = await resumeFromMirror(this.ctx, {
      jobId,
      dir,
      resumeFrom: job.resumeFrom,
      commitments: fetched.commitments,
      requester,
      signal,
    });
    if (resumed) this.#reported.set(jobId, resumed);
    if (state !== 'Running')
      await sendChainStep(this.ctx, jobId, 'startJob', ['Running'], signal, this.#stepRetryBase());
    const dataset = `asset:${ticket.dataset.assetId}`;
    log.info({ jobId: String(jobId), resumeFrom: job.resumeFrom, dataset }, 'job started');
    const reported = this.#reported.get(jobId) ?? [];
    this.#reported.set(jobId, reported);
    let lastPush = 0;
    // The step of the latest commitment: the runtime reports loss/accuracy right after each commitment, and those
    // reports always go out (a job that trains in under a second would otherwise stream one point: the rate limit
    // below drops the rest); reports between commitments are limited to one a second.
    let committedStep = -1;
    let totalSteps = prepared.totalSteps;
    // In order, one at a time (provider-progress.ts).
    const progress = createProgressStream(this.ctx, jobId, requester, signal);
    const push = progress.push;
    const fraction = this.init.fakeSegmentFraction;
    const onCheckpoint = (c: { index: number; step: number; hash: `0x${string}` }) => {
      committedStep = c.step;
      reported.length = Math.min(reported.length, c.index);
      reported[c.index] = { step: c.step, hash: c.hash };
      push({ jobId: String(jobId), step: c.step, totalSteps: Math.max(totalSteps, c.step, 1), checkpoint: c });
    };
    const workers = groupSizeOf(ticket);
    const result =
      workers > 1 && this.group
        ? await this.group.run({
            jobId,
            ticketHost: requester,
            spec: ticket.spec,
            workers,
            dataset: prepared.source,
            checkpointDir: dir,
            totalSteps,
            onCheckpoint,
            signal,
          })
        : await this.train(
            {
              spec: ticket.spec,
              dataset: prepared.source,
              checkpointDir: dir,
              fault: fraction ? { fakeSegmentFraction: fraction, seed: Number(jobId) } : undefined,
            },
            {
              signal,
              onProgress: (p) => {
                totalSteps = p.totalSteps;
                if (p.step !== committedStep && Date.now() - lastPush < 1_000) return;
                lastPush = Date.now();
                push({ jobId: String(jobId), ...p });
              },
              onCheckpoint,
            },
          );
    // After this node's own restart the worker resumed from its checkpoints, so this run never announced the earlier
    // commitments (and the last ones before the crash may never have arrived): report every one not reported here.
    let reReported = false;
    for (const [index, c] of result.commitments.entries()) {
      if (reported[index]?.hash === c.hash) continue;
      reported[index] = { step: c.step, hash: c.hash };
      push({ jobId: String(jobId), step: c.step, totalSteps, checkpoint: { index, step: c.step, hash: c.hash } });
      reReported = true;
    }
    const last = result.commitments.at(-1);
    if (reReported && last) push({ jobId: String(jobId), step: last.step, totalSteps }); // progress ends at the end
    // Every commitment reaches the requester before the root goes on chain (verifiers read them from there).
    await progress.drain();
    await deliverCommitments(this.ctx, jobId, job.requester, result.commitments, totalSteps, signal);
    await sendChainStep(this.ctx, jobId, 'commitResult', COMMITTED, signal, this.#stepRetryBase(), [
      result.commitmentRoot,
      result.resultCid,
    ]);
    log.info({ jobId: String(jobId), root: result.commitmentRoot, resultCid: result.resultCid }, 'result committed');
    await removeJobData(dataDir);
  }

  /** The job's data and step count: the published dataset checked (kinds, model root, manifest root, fit) and
   * materialized by the node's data role into `dataDir`. */
  async #prepareData(
    jobId: bigint,
    job: { datasetId: number; modelId: number },
    ticket: JobTicket,
    dataDir: string,
    signal: AbortSignal,
  ): Promise<{ source: TicketData; totalSteps: number }> {
    const init = {
      ledger: this.ctx.ledger,
      assets: this.ctx.assets,
      job,
      jobId,
      dir: dataDir,
      signal,
      log: this.ctx.log,
    };
    return await materializeTicketData(init, ticket);
  }

  /** When set, `runRetryBaseMs` is also the first wait of a chain step retried in place. */
  #stepRetryBase(): StepRetryBase {
    return this.init.runRetryBaseMs === undefined ? {} : { baseMs: this.init.runRetryBaseMs };
  }

  #checkpointDir(jobId: bigint): string {
    return join(this.init.root, String(jobId), 'checkpoints');
  }
}
