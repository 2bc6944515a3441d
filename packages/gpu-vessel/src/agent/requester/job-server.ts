/**
 * The requester's protocol server: hands the ticket (with the commitments and the mirror it holds) to the parties the
 * chain names, records the provider's progress and commitments, and mirrors each reported checkpoint in the
 * background, one transfer at a time per job, retrying a dropped or slow stream with backoff.
 */
import { AicError } from '@aic/core';
import { commitmentOfCheckpoint } from '@aic/model-vessel';
import type { Address } from 'viem';
import { fetchCheckpointWithFiles } from '../../jobs/checkpoint-transfer.ts';
import { jobProgressProtocol, jobTicketFetchProtocol } from '../../jobs/protocols.ts';
import { type AgentContext, peerOfAddress, type RetryCounter, retryTransient } from '../context.ts';
import type { JobRecord } from '../job-record.ts';
import type { RoleScope } from '../lifecycle.ts';
import type { JobStore } from './job-store.ts';

export class RequesterJobServer {
  readonly #providers = new Map<bigint, string>();

  constructor(
    private readonly ctx: AgentContext,
    private readonly store: JobStore,
    private readonly scope: RoleScope,
    private readonly events: { emit(jobId: bigint, what: string): void; onRetry: RetryCounter },
  ) {}

  async start(): Promise<void> {
    const { net } = this.ctx;
    await net.handle(jobTicketFetchProtocol, async ({ jobId: text }, { sender }) => {
      const jobId = BigInt(text);
      const record = await this.store.get(jobId);
      if (!record) throw new AicError('JOB_NOT_FOUND', `job ${jobId} is not this node's`);
      await this.authorize(jobId, sender);
      return {
        ticket: record.ticket,
        commitments: record.contiguousCommitments(),
        mirrored: await record.mirroredIndices(),
      };
    });
    this.scope.defer(() => net.unhandle(jobTicketFetchProtocol.id));
    await net.handle(jobProgressProtocol, async (p, { sender, peer }) => {
      const jobId = BigInt(p.jobId);
      const record = await this.store.get(jobId);
      if (!record) throw new AicError('JOB_NOT_FOUND', `job ${jobId} is not this node's`);
      // The job's provider changes only on (re)assignment: read the chain again only for another sender.
      let provider = this.#providers.get(jobId);
      if (provider !== sender.toLowerCase()) {
        provider = (await this.ctx.ledger.market.read.jobOf([jobId])).provider.toLowerCase();
        this.#providers.set(jobId, provider);
      }
      if (provider !== sender.toLowerCase()) {
        throw new AicError('JOB_NOT_ASSIGNED', `${sender} is not the provider of job ${jobId}`);
      }
      await record.addProgress(
        {
          atMs: Date.now(),
          step: p.step,
          totalSteps: p.totalSteps,
          loss: p.loss,
          accuracy: p.accuracy,
          provider: sender,
          checkpoint: p.checkpoint?.index,
        },
        p.checkpoint,
      );
      this.events.emit(jobId, `step ${p.step}/${p.totalSteps}`);
      if (p.checkpoint) this.#mirror(jobId, peer.toString(), p.checkpoint);
      return { ok: true };
    });
    this.scope.defer(() => net.unhandle(jobProgressProtocol.id));
  }

  /** Mirrors a reported checkpoint in the background: the provider's stream must not wait for the transfer. One
   * transfer at a time per job: parallel multi-MB pulls would compete and fall further behind. */
  #mirror(jobId: bigint, peer: string, c: { index: number; step: number; hash: `0x${string}` }): void {
    const signal = this.scope.signal;
    const mirrorOne = async () => {
      const record = await this.store.get(jobId);
      if (!record) return;
      await record.mirrorQueue(async () => {
        const got = await retryTransient(
          this.ctx,
          'checkpoint mirror',
          () => fetchCheckpointWithFiles(this.ctx.net, peer, jobId, c.index, signal),
          { jobId, signal, onRetry: this.events.onRetry, attempts: 5 },
        );
        // Only the reported state is kept: a mirror of something else would mislead a resume or a verifier.
        if (got.checkpoint.step !== c.step || commitmentOfCheckpoint(got.checkpoint) !== c.hash) {
          throw new AicError('JOB_MIRROR_MISMATCH', `checkpoint ${c.index} is not the one reported`, {
            details: { jobId: String(jobId), index: c.index },
          });
        }
        await record.mirrorFiles(c.step, got.files);
      });
    };
    void this.scope.spawn('checkpoint mirror', mirrorOne, { jobId: String(jobId), index: c.index });
  }

  /** After a restart: mirrors the reported checkpoints the mirror lacks (transfers cut by the crash, or reported
   * while this node was down and re-reported since) from the job's provider. */
  async catchUpMirror(record: JobRecord, provider: string): Promise<void> {
    const have = new Set(await record.mirroredIndices());
    const missing = record.contiguousCommitments().flatMap((c, index) => (have.has(index) ? [] : [{ ...c, index }]));
    if (missing.length === 0) return;
    const peer = await retryTransient(
      this.ctx,
      'provider lookup',
      () => peerOfAddress(this.ctx, provider, this.scope.signal),
      { jobId: record.jobId, signal: this.scope.signal, attempts: 4 },
    );
    this.ctx.log.info(
      { jobId: String(record.jobId), missing: missing.length },
      'mirroring checkpoints missed while down',
    );
    for (const c of missing) this.#mirror(record.jobId, peer, c);
  }

  /**
   * Who may read a job's ticket and checkpoints is decided by the chain's rules, not by a role (issue 15: no key
   * places a job): the job's assigned provider; any staked verifier (one is drawn for the verdict, any may sit on a
   * dispute's committee); and any provider staked for the job's class, who may be on its seeded shortlist and needs
   * the requirements to propose a placement (anyone may propose one). Each of them has stake to lose; nobody else
   * (no allocator or arbiter key) is served.
   */
  async authorize(jobId: bigint, sender: Address): Promise<void> {
    const market = this.ctx.ledger.market;
    const job = await market.read.jobOf([jobId]);
    if (job.provider.toLowerCase() === sender.toLowerCase()) return;
    const [verifier, terms] = await Promise.all([market.read.verifierOf([sender]), market.read.verifierTerms()]);
    if (verifier.registered && verifier.exitAt === 0 && verifier.stake >= terms.minStake) return;
    const provider = await market.read.providerOf([sender]);
    if (provider.registered && provider.hwClass >= job.minHwClass) {
      if (provider.stake >= (await market.read.minStakeOf([provider.hwClass]))) return;
    }
    throw new AicError('JOB_ACCESS_DENIED', `${sender} may not read job ${jobId}`, {
      details: { jobId: String(jobId), sender },
    });
  }
}
