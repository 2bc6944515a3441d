/**
 * The GPU Vessel agent (DESIGN.md §6): stakes for its hardware class, advertises offers over gossip, answers
 * hardware-class challenges (served by the node), and runs every job the chain assigns to it — ticket from the
 * requester (checked against the escrowed specHash), data checked against the Dataset NFT, training in the sandboxed
 * worker process, progress and checkpoint commitments streamed to the requester, the Merkle root committed on chain.
 * After its own restart it resumes its open jobs from its last checkpoint; a reassigned job starts from the
 * checkpoint the requester mirrored.
 */
import { join } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { AicError } from '@aic/core';
import { jobStateName } from '@aic/ledger';
import {
  type Commitment,
  type JobSpec,
  listCheckpoints,
  loadCheckpointFiles,
  resolveJob,
  saveCheckpoint,
} from '@aic/model-vessel';
import type { ProviderOffer } from '@aic/network';
import { createSerialQueue } from '../chain/serial.ts';
import { type CheckpointFiles, fetchCheckpoint } from '../jobs/checkpoint-transfer.ts';
import { checkDatasetRoot, loadDatasetSource } from '../jobs/dataset-source.ts';
import { decodeJobTicket } from '../jobs/job-ticket.ts';
import { jobProgressProtocol, jobTicketFetchProtocol } from '../jobs/protocols.ts';
import { type AgentContext, errorLine, peerOfAddress, specHashOf, withRetries } from './context.ts';

/** One training run in the worker process: resumes from the newest checkpoint of the job found in checkpointDir. */
export type TrainingRunner = (
  init: {
    spec: JobSpec;
    dataset: string;
    checkpointDir: string;
    fault?: { fakeSegmentFraction: number; seed: number } | undefined;
  },
  hooks: {
    onProgress(p: { step: number; totalSteps: number; loss?: number; accuracy?: number }): void;
    onCheckpoint(c: { index: number; step: number; hash: `0x${string}` }): void;
    signal: AbortSignal;
  },
) => Promise<{ commitmentRoot: `0x${string}`; resultCid: string; commitments: readonly Commitment[] }>;

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
  /** TEST-ONLY fault injection: report random commitments for this fraction of segments (a cheater). */
  fakeSegmentFraction?: number;
}

export class ProviderAgent {
  readonly #running = new Map<bigint, Promise<void>>();
  /** The commitments this agent reported per job (index → checkpoint step), for serving checkpoints. */
  readonly #reported = new Map<bigint, Commitment[]>();
  #timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly ctx: AgentContext,
    private readonly init: ProviderAgentInit,
    private readonly train: TrainingRunner,
  ) {}

  async start(): Promise<void> {
    await this.#ensureStaked();
    const me = this.ctx.ledger.account().toLowerCase();
    this.ctx.watcher.on((event) => {
      if (event.eventName !== 'JobAssigned' && event.eventName !== 'JobReassigned') return;
      const { jobId, provider } = event.args as { jobId: bigint; provider: string };
      if (provider.toLowerCase() === me) this.runJob(jobId);
    });
    const publish = () =>
      void this.ctx.net
        .publishOffer({ ...this.init.offer, priceWeiPerHour: this.init.priceWeiPerHour })
        .catch((error: unknown) => this.ctx.log.warn({ err: error }, 'offer not published'));
    publish();
    this.#timer = setInterval(publish, this.init.republishMs ?? 5_000);
    this.ctx.signal.addEventListener('abort', () => clearInterval(this.#timer), { once: true });
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
      run = this.#runWithRetries(jobId).finally(() => this.#running.delete(jobId));
      this.#running.set(jobId, run);
    }
    return run;
  }

  async #runWithRetries(jobId: bigint): Promise<void> {
    const attempts = this.init.runAttempts ?? 4;
    for (let attempt = 1; ; attempt++) {
      try {
        return await this.#run(jobId);
      } catch (error) {
        if (this.ctx.signal.aborted) return;
        const last = attempt >= attempts;
        this.ctx.log.error(
          { jobId: String(jobId), attempt, err: errorLine(error) },
          last ? 'job failed' : 'job attempt failed',
        );
        if (last) return;
        await delay(1_000 * 2 ** attempt, undefined, { signal: this.ctx.signal }).catch(() => undefined);
      }
    }
  }

  async #run(jobId: bigint): Promise<void> {
    const { ledger, net, log } = this.ctx;
    const job = await ledger.market.read.jobOf([jobId]);
    const state = jobStateName(job.state);
    if (job.provider.toLowerCase() !== ledger.account().toLowerCase()) return;
    if (state !== 'Assigned' && state !== 'Reassigned' && state !== 'Running') return;
    const requester = await peerOfAddress(this.ctx, job.requester);
    const fetched = await withRetries(this.ctx, () =>
      net.request(requester, jobTicketFetchProtocol, { jobId: String(jobId) }),
    );
    const ticket = decodeJobTicket(fetched.ticket, await specHashOf(ledger, jobId));
    const data = await loadDatasetSource(ticket.dataset);
    if (job.datasetId > 0)
      checkDatasetRoot(data, (await ledger.registry.read.assetOf([BigInt(job.datasetId)])).contentRoot);
    const dir = this.#checkpointDir(jobId);
    await this.#resumePoint(jobId, job.resumeFrom, fetched.commitments, requester);
    if (state !== 'Running') {
      await this.ctx.send(() => ledger.confirm('startJob', () => ledger.market.write.startJob([jobId])));
    }
    log.info({ jobId: String(jobId), resumeFrom: job.resumeFrom, dataset: ticket.dataset }, 'job started');
    const reported = this.#reported.get(jobId) ?? [];
    this.#reported.set(jobId, reported);
    let lastPush = 0;
    let totalSteps = resolveJob(ticket.spec, data).totalSteps;
    // In order, one at a time: the requester records commitments by index and mirrors each checkpoint once.
    const inOrder = createSerialQueue();
    const push = (body: Parameters<typeof jobProgressProtocol.request.toWire>[0]) =>
      void inOrder(() => withRetries(this.ctx, () => net.request(requester, jobProgressProtocol, body), 3)).catch(
        (error: unknown) => {
          log.warn({ jobId: String(jobId), err: errorLine(error) }, 'progress not delivered');
        },
      );
    const fraction = this.init.fakeSegmentFraction;
    const result = await this.train(
      {
        spec: ticket.spec,
        dataset: ticket.dataset,
        checkpointDir: dir,
        fault: fraction ? { fakeSegmentFraction: fraction, seed: Number(jobId) } : undefined,
      },
      {
        signal: this.ctx.signal,
        onProgress: (p) => {
          totalSteps = p.totalSteps;
          if (Date.now() - lastPush < 1_000) return;
          lastPush = Date.now();
          push({ jobId: String(jobId), ...p });
        },
        onCheckpoint: (c) => {
          reported.length = Math.min(reported.length, c.index);
          reported[c.index] = { step: c.step, hash: c.hash };
          push({ jobId: String(jobId), step: c.step, totalSteps: Math.max(totalSteps, c.step, 1), checkpoint: c });
        },
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
    await this.ctx.send(() =>
      ledger.confirm('commitResult', () =>
        ledger.market.write.commitResult([jobId, result.commitmentRoot, result.resultCid]),
      ),
    );
    log.info({ jobId: String(jobId), root: result.commitmentRoot, resultCid: result.resultCid }, 'result committed');
  }

  /** A reassigned job continues from the requester's mirrored checkpoint unless a newer local one exists. */
  async #resumePoint(
    jobId: bigint,
    resumeFrom: number,
    commitments: readonly Commitment[],
    requester: string,
  ): Promise<void> {
    if (resumeFrom === 0) return;
    const target = commitments[resumeFrom];
    if (!target)
      throw new AicError('JOB_RESUME_UNAVAILABLE', `requester has no commitment ${resumeFrom} of job ${jobId}`);
    const dir = this.#checkpointDir(jobId);
    const local = await listCheckpoints(dir).catch(() => [] as number[]);
    if (local.some((step) => step >= target.step)) return;
    const checkpoint = await fetchCheckpoint(this.ctx.net, requester, jobId, resumeFrom, this.ctx.signal);
    if (checkpoint.commitments.at(-1)?.hash !== target.hash || checkpoint.step !== target.step) {
      throw new AicError(
        'JOB_RESUME_MISMATCH',
        `mirrored checkpoint ${resumeFrom} of job ${jobId} is not the reported one`,
      );
    }
    await saveCheckpoint(dir, checkpoint);
    this.#reported.set(jobId, [...checkpoint.commitments]);
  }

  #checkpointDir(jobId: bigint): string {
    return join(this.init.root, String(jobId), 'checkpoints');
  }

  async #ensureStaked(): Promise<void> {
    const { ledger } = this.ctx;
    const me = ledger.account();
    if ((await ledger.market.read.providerOf([me])).registered) return;
    const permit = await ledger.signPermit(ledger.market.address, this.init.stakeWei);
    await this.ctx.send(() =>
      ledger.confirm('registerProvider', () =>
        ledger.market.write.registerProvider([this.init.hwClass, this.init.stakeWei, permit]),
      ),
    );
    this.ctx.log.info({ hwClass: this.init.hwClass, stakeWei: String(this.init.stakeWei) }, 'provider staked');
  }
}
