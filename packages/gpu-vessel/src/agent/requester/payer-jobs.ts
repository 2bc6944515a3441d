/**
 * Jobs another account pays (issue 14: a browser wallet signs the escrow, this node coordinates the job). The node
 * prepares the ticket and the escrow request the payer sends (`prepare`); once the payer's JobCreated is on chain
 * the node adopts the job (`adopt`): the escrowed specHash must be the hash of a ticket this node prepared, and the
 * job open and funded. From then on the job is one of this node's (the job store's record): it serves the ticket,
 * records progress, mirrors checkpoints, settles and mints the TrainedAI, exactly as for a job its own key paid.
 */
import { AicError } from '@aic/core';
import { type JobRequestInput, jobStateName } from '@aic/ledger';
import type { Address } from 'viem';
import { decodeJobTicket } from '../../jobs/job-ticket.ts';
import { type AgentContext, specHashOf } from '../context.ts';
import type { JobStore } from './job-store.ts';

/** Prepared tickets kept waiting for their payer's escrow (the oldest is dropped beyond this). */
const MAX_PENDING_PAYER_TICKETS = 64;

export interface AdoptedJob {
  jobId: bigint;
  requester: Address;
  state: string;
  escrowWei: bigint;
  /** False when this node already had the job (a repeated adopt). */
  adopted: boolean;
}

export class PayerJobs {
  /** Hashes of tickets prepared for payers, oldest first (bounds the pending files an open route can write). */
  readonly #pending: string[] = [];

  constructor(
    private readonly ctx: AgentContext,
    private readonly store: JobStore,
  ) {}

  /** Keeps the ticket as pending (as before this node's own escrow) and returns the request the payer escrows. */
  async prepare(ticket: Uint8Array, request: Omit<JobRequestInput, 'specHash'>): Promise<JobRequestInput> {
    const specHash = await this.store.beginEscrow(ticket, { step: 'escrowed' });
    this.#pending.push(specHash.toLowerCase());
    while (this.#pending.length > MAX_PENDING_PAYER_TICKETS) {
      await this.store.abandonEscrow(this.#pending.shift() as `0x${string}`);
    }
    return { ...request, specHash };
  }

  /** The job's payer and state on chain (the node checks who asks and whether the job is open before adopting). */
  async facts(jobId: bigint): Promise<Omit<AdoptedJob, 'adopted'>> {
    const job = await this.ctx.ledger.market.read.jobOf([jobId]);
    return { jobId, requester: job.requester, state: jobStateName(job.state), escrowWei: job.escrow };
  }

  /**
   * Takes on `jobId` (the caller checked that it is open and funded): JOB_NOT_FOUND for a job escrowed with a ticket this
   * node did not prepare, JOB_TICKET_ASSET_MISMATCH when the chain's assets are not the ticket's. Repeating it is
   * harmless (`adopted: false`).
   */
  async adopt(jobId: bigint): Promise<AdoptedJob> {
    const job = await this.ctx.ledger.market.read.jobOf([jobId]);
    const facts = { jobId, requester: job.requester, state: jobStateName(job.state), escrowWei: job.escrow };
    if (await this.store.get(jobId)) return { ...facts, adopted: false };
    const specHash = await specHashOf(this.ctx.ledger, jobId);
    const ticket = await this.store.pendingTicket(specHash);
    if (!ticket) {
      throw new AicError('JOB_NOT_FOUND', `job ${jobId} was not escrowed with a ticket this node prepared`, {
        details: { jobId: String(jobId), specHash },
      });
    }
    const decoded = decodeJobTicket(ticket, specHash);
    if (decoded.dataset.assetId !== String(job.datasetId) || decoded.model.assetId !== String(job.modelId)) {
      throw new AicError('JOB_TICKET_ASSET_MISMATCH', `job ${jobId}'s assets on chain are not its ticket's`, {
        details: {
          jobId: String(jobId),
          chain: { datasetId: String(job.datasetId), modelId: String(job.modelId) },
          ticket: { datasetId: decoded.dataset.assetId, modelId: decoded.model.assetId },
        },
      });
    }
    await this.store.completeEscrow(jobId, ticket, { step: 'escrowed' });
    const at = this.#pending.indexOf(specHash.toLowerCase());
    if (at >= 0) this.#pending.splice(at, 1);
    return { ...facts, adopted: true };
  }
}
