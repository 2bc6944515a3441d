/**
 * A provider node's side of an MSMG group it was placed in as a member (rank ≥ 1): it answers the lead's
 * `/aic/msmg-join/1.0.0` requests — only from the job's provider on chain, for a job being trained — checks the
 * ticket the lead passes against the escrowed specHash, writes the data shards into the job's folder, and runs its
 * rank in the sandboxed MSMG worker (heap and time caps, filtered environment: msmg/rank-process.ts) under an
 * ephemeral libp2p key, so the node's own key never enters a worker. A member keeps each checkpoint its rank saved
 * (the same global state on every rank), so it can resume with the group from any of them.
 */
import { mkdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { AicError } from '@aic/core';
import { jobStateName } from '@aic/ledger';
import { commitmentOfCheckpoint, type JobSpec, loadCheckpoint } from '@aic/model-vessel';
import { peerIdFromPrivateKey } from '@aic/network';
import { generatePrivateKey } from 'viem/accounts';
import { decodeJobTicket } from '../jobs/job-ticket.ts';
import { freePort, type RankLimits, type RankProcess, startRankProcess } from '../msmg/rank-process.ts';
import type { MsmgWorkerConfig } from '../msmg/worker-config.ts';
import { type AgentContext, errorLine, specHashOf } from './context.ts';
import { msmgJoinProtocol } from './group-protocols.ts';
import { RoleScope, type Startable } from './lifecycle.ts';

const TRAINING = new Set(['Assigned', 'Reassigned', 'Running']);

interface Prepared {
  readonly lead: string;
  readonly attempt: number;
  readonly rank: number;
  readonly workers: number;
  readonly spec: JobSpec;
  readonly shards: string[];
  readonly rows: number;
  readonly privateKey: `0x${string}`;
  readonly port: number;
  readonly member: { rank: number; peerId: string; multiaddr: string };
  run?: { process: RankProcess; abort: AbortController };
}

export interface GroupMemberInit {
  /** Where member jobs live (`<root>/<jobId>/group-…`). */
  readonly root: string;
  readonly limits: RankLimits;
  /** The interface the rank's worker listens on and announces (default 127.0.0.1: the devnet). */
  readonly listenHost?: string;
}

export class GroupMemberService implements Startable {
  readonly #jobs = new Map<string, Prepared>();
  readonly #scope: RoleScope;

  constructor(
    private readonly ctx: AgentContext,
    private readonly init: GroupMemberInit,
  ) {
    this.#scope = new RoleScope('msmg member', ctx.log);
  }

  /** Ranks this node is training now, by job id (status, tests). */
  active(): { jobId: string; rank: number; attempt: number }[] {
    return [...this.#jobs.entries()]
      .filter(([, p]) => p.run !== undefined)
      .map(([jobId, p]) => ({ jobId, rank: p.rank, attempt: p.attempt }));
  }

  async start(): Promise<void> {
    await this.ctx.net.handle(msmgJoinProtocol, async (request, { sender }) => {
      await this.#checkLead(request.jobId, sender);
      if (request.kind === 'stop') {
        this.#stopRank(request.jobId);
        return { ok: true };
      }
      if (request.kind === 'prepare') return { ok: true, member: await this.#prepare(request, sender) };
      return { ok: await this.#start(request, sender) };
    });
    this.#scope.defer(() => this.ctx.net.unhandle(msmgJoinProtocol.id));
    this.#scope.defer(() => {
      for (const jobId of this.#jobs.keys()) this.#stopRank(jobId);
    });
  }

  async stop(): Promise<void> {
    await this.#scope.close();
  }

  /** Only the job's provider on chain leads its group, and only while the job is being trained. */
  async #checkLead(jobId: string, sender: string): Promise<void> {
    const job = await this.ctx.ledger.market.read.jobOf([BigInt(jobId)]);
    if (job.provider.toLowerCase() !== sender.toLowerCase() || !TRAINING.has(jobStateName(job.state))) {
      throw new AicError('MSMG_NOT_LEAD', `${sender} does not lead a group for job ${jobId}`, {
        details: { jobId, state: jobStateName(job.state) },
      });
    }
  }

  #dir(jobId: string): string {
    return join(this.init.root, jobId);
  }

  async #prepare(
    request: Extract<Parameters<typeof msmgJoinProtocol.request.toWire>[0], { kind: 'prepare' }>,
    lead: string,
  ): Promise<Prepared['member']> {
    const { jobId } = request;
    const ticket = decodeJobTicket(request.ticket, await specHashOf(this.ctx.ledger, BigInt(jobId)));
    if (ticket.spec.microbatches === undefined || ticket.spec.microbatches < request.workers) {
      throw new AicError('MSMG_PLAN_INVALID', `job ${jobId} is not sharded over ${request.workers} workers`);
    }
    this.#stopRank(jobId); // a new attempt replaces the last one's rank
    const dataDir = join(this.#dir(jobId), 'group-data');
    await mkdir(dataDir, { recursive: true });
    const shards: string[] = [];
    for (const [i, bytes] of request.shards.entries()) {
      const file = join(dataDir, `shard-${i}.safetensors`);
      await writeFile(file, bytes, { mode: 0o600 });
      shards.push(file);
    }
    const host = this.init.listenHost ?? '127.0.0.1';
    const privateKey = generatePrivateKey();
    const port = await freePort(host);
    const peerId = peerIdFromPrivateKey(privateKey).toString();
    const member = { rank: request.rank, peerId, multiaddr: `/ip4/${host}/tcp/${port}/p2p/${peerId}` };
    this.#jobs.set(jobId, {
      lead: lead.toLowerCase(),
      attempt: request.attempt,
      rank: request.rank,
      workers: request.workers,
      spec: ticket.spec,
      shards,
      rows: request.rows,
      privateKey,
      port,
      member,
    });
    this.ctx.log.info({ jobId, rank: request.rank, attempt: request.attempt, lead }, 'msmg rank prepared');
    return member;
  }

  async #start(
    request: Extract<Parameters<typeof msmgJoinProtocol.request.toWire>[0], { kind: 'start' }>,
    lead: string,
  ): Promise<boolean> {
    const { jobId } = request;
    const prepared = this.#jobs.get(jobId);
    if (!prepared || prepared.attempt !== request.attempt || prepared.lead !== lead.toLowerCase()) {
      throw new AicError('MSMG_PLAN_INVALID', `no prepared rank for job ${jobId} attempt ${request.attempt}`);
    }
    if (prepared.run) return true; // a repeated start
    const checkpointDir = join(this.#dir(jobId), 'group-checkpoints');
    let resumeFrom: MsmgWorkerConfig['resumeFrom'];
    if (request.resumeFrom) {
      const { step, hash } = request.resumeFrom;
      const held = await loadCheckpoint(checkpointDir, step).catch(() => undefined);
      // a state this rank saved, that reproduces the commitment the lead names
      if (!held || held.commitments.at(-1)?.hash !== hash || commitmentOfCheckpoint(held) !== hash) {
        throw new AicError('MSMG_RESUME_UNAVAILABLE', `no checkpoint at step ${step} of job ${jobId} here`);
      }
      resumeFrom = { dir: checkpointDir, step };
    }
    const config: MsmgWorkerConfig = {
      rank: prepared.rank,
      workers: prepared.workers,
      privateKey: prepared.privateKey,
      listenPort: prepared.port,
      listenHost: this.init.listenHost ?? '127.0.0.1',
      members: request.members,
      groupKey: request.groupKey,
      spec: prepared.spec as unknown as Record<string, unknown>,
      shards: prepared.shards,
      rows: prepared.rows,
      checkpointDir,
      ...(resumeFrom ? { resumeFrom } : {}),
      chunkFloats: 16_384,
      frameTimeoutMs: 30_000,
      connectTimeoutMs: 60_000,
    };
    const abort = new AbortController();
    const process = await startRankProcess(config, {
      dir: this.#dir(jobId),
      name: `rank-${prepared.attempt}`,
      limits: this.init.limits,
      signal: abort.signal,
    });
    prepared.run = { process, abort };
    const fields = { jobId, rank: prepared.rank, attempt: prepared.attempt };
    this.ctx.log.info(fields, 'msmg rank started');
    void this.#scope.spawn('rank', async () => {
      try {
        const done = await process.result;
        this.ctx.log.info({ ...fields, root: done.commitmentRoot, steps: done.stepsRun }, 'msmg rank done');
        await rm(join(this.#dir(jobId), 'group-data'), { recursive: true, force: true });
      } catch (error) {
        this.ctx.log.warn({ ...fields, err: errorLine(error) }, 'msmg rank ended');
      } finally {
        if (this.#jobs.get(jobId)?.run?.process === process) delete this.#jobs.get(jobId)?.run;
      }
    });
    return true;
  }

  #stopRank(jobId: string): void {
    const run = this.#jobs.get(jobId)?.run;
    run?.abort.abort();
  }
}
