/**
 * The GPU Vessel agent (DESIGN.md §6): stakes for its hardware class, advertises offers over gossip, answers
 * hardware-class challenges (served by the node), and runs every job the chain assigns to it — ticket from the
 * requester (checked against the escrowed specHash), data checked against the Dataset NFT, training in the sandboxed
 * worker process, progress and checkpoint commitments streamed to the requester, the Merkle root committed on chain.
 * After its own restart it resumes its open jobs from its last checkpoint; a reassigned job starts from the
 * checkpoint the requester mirrored.
 */
import { join } from 'node:path';
import { AicError, isAicError, retry } from '@aic/core';
import { DEFAULT_PRESET } from '@aic/core/params';
import { jobStateName } from '@aic/ledger';
import { type Commitment, type JobSpec, listCheckpoints, loadCheckpointFiles, saveCheckpoint } from '@aic/model-vessel';
import type { ProviderOffer } from '@aic/network';
import { createSerialQueue } from '../chain/serial.ts';
import { type CheckpointFiles, fetchCheckpoint } from '../jobs/checkpoint-transfer.ts';
import type { JobTicket } from '../jobs/job-ticket.ts';
import { jobProgressProtocol } from '../jobs/protocols.ts';
import { materializeTicketData, removeJobData, type TicketData } from '../jobs/ticket-data.ts';
import { type AgentContext, errorLine, fetchJobTicket, isTransient, retryTransient } from './context.ts';
import { groupSizeOf, type MsmgLeadService } from './group-service.ts';
import { RoleScope, type Startable } from './lifecycle.ts';
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
    const { ledger, net, log } = this.ctx;
    const job = await this.#readJob(jobId, signal);
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
    await this.#resumePoint(jobId, job.resumeFrom, fetched.commitments, requester, signal);
    if (state !== 'Running') await this.#chainStep(jobId, 'startJob', ['Running'], signal);
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
    // In order, one at a time: the requester records commitments by index and mirrors each checkpoint once. Plain
    // progress is best effort; a commitment is retried for longer (a requester restarting), and any still missing
    // is re-reported before the commitment (#deliverCommitments).
    const inOrder = createSerialQueue();
    const push = (body: Parameters<typeof jobProgressProtocol.request.toWire>[0]) =>
      void inOrder(() =>
        retryTransient(this.ctx, 'progress', () => net.request(requester, jobProgressProtocol, body, { signal }), {
          jobId,
          signal,
          attempts: body.checkpoint ? 6 : 2,
        }),
      ).catch((error: unknown) => {
        if (!signal.aborted) log.warn({ jobId: String(jobId), err: errorLine(error) }, 'progress not delivered');
      });
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
    await inOrder(async () => undefined);
    await this.#deliverCommitments(jobId, job.requester, result.commitments, totalSteps, signal);
    await this.#chainStep(jobId, 'commitResult', COMMITTED, signal, [result.commitmentRoot, result.resultCid]);
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

  /** Checks that the requester holds every commitment of the run (a requester killed and restarted mid-job missed
   * the ones sent while it was down) and re-reports the missing ones until it does: a verifier given a partial list
   * would call an honest run a cheat. */
  async #deliverCommitments(
    jobId: bigint,
    requesterAddress: string,
    commitments: readonly Commitment[],
    totalSteps: number,
    signal: AbortSignal,
  ): Promise<void> {
    await retryTransient(
      this.ctx,
      'commitment delivery',
      async () => {
        const held = await fetchJobTicket(this.ctx, { jobId, requester: requesterAddress }, { signal });
        const missing = commitments.flatMap((c, index) => (held.commitments[index]?.hash === c.hash ? [] : [index]));
        if (missing.length === 0) return;
        this.ctx.log.warn(
          { jobId: String(jobId), missing: missing.length },
          'requester lacks commitments: re-reporting',
        );
        for (const index of missing) {
          const c = commitments[index]!;
          const checkpoint = { index, step: c.step, hash: c.hash };
          const body = { jobId: String(jobId), step: c.step, totalSteps, checkpoint };
          await this.ctx.net.request(held.requester, jobProgressProtocol, body, { signal });
        }
        throw new AicError('JOB_COMMITMENTS_UNDELIVERED', `requester lacked ${missing.length} commitments`);
      },
      { jobId, signal, attempts: 8 },
    );
  }

  /** A reassigned job continues from the requester's mirrored checkpoint unless a newer local one exists. */
  async #resumePoint(
    jobId: bigint,
    resumeFrom: number,
    commitments: readonly Commitment[],
    requester: string,
    signal: AbortSignal,
  ): Promise<void> {
    if (resumeFrom === 0) return;
    const target = commitments[resumeFrom];
    if (!target)
      throw new AicError('JOB_RESUME_UNAVAILABLE', `requester has no commitment ${resumeFrom} of job ${jobId}`);
    const dir = this.#checkpointDir(jobId);
    const local = await listCheckpoints(dir).catch(() => [] as number[]);
    if (local.some((step) => step >= target.step)) return;
    const checkpoint = await retryTransient(
      this.ctx,
      'resume checkpoint fetch',
      () => fetchCheckpoint(this.ctx.net, requester, jobId, resumeFrom, signal),
      { jobId, signal },
    );
    if (checkpoint.commitments.at(-1)?.hash !== target.hash || checkpoint.step !== target.step) {
      throw new AicError(
        'JOB_RESUME_MISMATCH',
        `mirrored checkpoint ${resumeFrom} of job ${jobId} is not the reported one`,
      );
    }
    await saveCheckpoint(dir, checkpoint);
    this.#reported.set(jobId, [...checkpoint.commitments]);
  }

  /** The job as the chain has it; a failed read is retried here: one attempt makes dozens of chain calls, and one
   * failed read must not cost the whole attempt (ticket, data, worker start) again. */
  #readJob(jobId: bigint, signal: AbortSignal) {
    const o = { jobId, signal, ...this.#stepRetryBase() };
    return retryTransient(this.ctx, 'job read', () => this.ctx.ledger.market.read.jobOf([jobId]), o);
  }

  #stepRetryBase(): { baseMs?: number } {
    return this.init.runRetryBaseMs === undefined ? {} : { baseMs: this.init.runRetryBaseMs };
  }

  /**
   * Sends `startJob` or `commitResult` unless the job is already past it (`done`: a send whose receipt wait failed may
   * have been mined), retrying a transient failure after reading the job again — in the issue 18 soak these sends
   * failed at 10 % RPC failures in attempt after attempt, each restarting from the ticket fetch with a growing wait.
   * A revert (the job is no longer this provider's to start or commit) stays final.
   */
  async #chainStep(
    jobId: bigint,
    call: 'startJob' | 'commitResult',
    done: readonly string[],
    signal: AbortSignal,
    args: [`0x${string}`, string] | [] = [],
  ): Promise<void> {
    const { ledger } = this.ctx;
    const me = ledger.account().toLowerCase();
    await retryTransient(
      this.ctx,
      call,
      async () => {
        const job = await ledger.market.read.jobOf([jobId]);
        if (job.provider.toLowerCase() === me && done.includes(jobStateName(job.state))) return;
        await this.ctx.send(() =>
          ledger.confirm(call, () =>
            call === 'startJob'
              ? ledger.market.write.startJob([jobId])
              : ledger.market.write.commitResult([jobId, ...(args as [`0x${string}`, string])]),
          ),
        );
      },
      { jobId, signal, ...this.#stepRetryBase() },
    );
  }

  #checkpointDir(jobId: bigint): string {
    return join(this.init.root, String(jobId), 'checkpoints');
  }
}
