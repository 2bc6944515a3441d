/**
 * Every job this node escrows is paid by a fresh account of its own (issue 15: canaries nobody can tell apart): the
 * same fresh payers as the coordinator's canaries (fresh-payers.ts), funded from the node's account a random lead of
 * blocks before the escrow. The job's requester on chain is that account; this node still follows the job as its own
 * (its record names the payer), acts as its requester with the payer's key where the chain asks for the requester
 * (preemption, an expired job's refund), and sweeps what the payer holds back once the job is final.
 *
 * A pending ticket is bound to its payer before the escrow is sent (JobStore.notePendingPayer): a restart finds the
 * JobCreated under that account, and a repeated keyed submit escrows from it again — its nonce is still 0 only if the
 * first escrow never landed, so one ticket is escrowed once.
 */
import { type JobRequestInput, jobStateName, type LedgerClient } from '@aic/ledger';
import type { Address } from 'viem';
import { createSerialQueue } from '../../chain/serial.ts';
import type { AgentContext } from '../context.ts';
import { isRevertOf } from '../coordinator-shortlist.ts';
import { type FreshPayer, type FreshPayerPort, FreshPayers } from '../fresh-payers.ts';
import type { JobRecord } from '../job-record.ts';
import { type JobStore, jobCreatedWith } from './job-store.ts';

/** Job states after which the payer holds nothing more in the market (Expired: once refunded). */
const DONE_STATES = new Set(['Settled', 'Slashed', 'Refunded']);

/** What the requester's parts ask of the accounts its jobs are paid from. */
export interface RequesterAccounts {
  /** The client that is the job's requester on chain, with its transaction queue. */
  requesterOf(record: JobRecord): Promise<{ ledger: LedgerClient; send: AgentContext['send'] }>;
  /** Whether `address` is one of this node's job payers. */
  isPayer(address: string): boolean;
  /** Once the job is final, its payer's funds back to the node's account. */
  sweepWhenFinal(record: JobRecord): Promise<void>;
}

/** A requester without payer accounts (unit tests): the node's own account is every job's requester. */
export function nodeAccountOnly(ctx: AgentContext): RequesterAccounts {
  return {
    requesterOf: async () => ({ ledger: ctx.ledger, send: ctx.send }),
    isPayer: () => false,
    sweepWhenFinal: async () => undefined,
  };
}

export class JobPayers implements RequesterAccounts {
  readonly #payers: FreshPayers;
  /** Opened payers by address (lowercased), each with its own transaction queue (its nonces). */
  readonly #open = new Map<
    string,
    Promise<(FreshPayer & { send: ReturnType<typeof createSerialQueue> }) | undefined>
  >();
  /** Sweeps in flight by job: a second caller waits for the same one. */
  readonly #sweeping = new Map<bigint, Promise<void>>();

  constructor(
    private readonly ctx: AgentContext,
    port: FreshPayerPort,
    private readonly store: JobStore,
  ) {
    this.#payers = new FreshPayers(ctx, port, 'job payer');
  }

  async load(): Promise<void> {
    await this.#payers.load();
  }

  /** Whether `address` is one of this node's job payers. */
  isPayer(address: string): boolean {
    return this.#payers.isPayer(address);
  }

  /** Escrows the pending ticket `specHash` from its payer (the one bound to it before, else a fresh one). */
  async escrow(
    specHash: `0x${string}`,
    request: JobRequestInput,
    needWei: bigint,
    signal: AbortSignal,
  ): Promise<{ jobId: bigint; escrowWei: bigint; payer: Address }> {
    const prefer = await this.store.pendingPayer(specHash);
    if (prefer) {
      // Bound before and used since: its escrow of this ticket may have landed after all (then that is the job).
      const landed = await jobCreatedWith(this.ctx.ledger, prefer, specHash);
      if (landed) return { ...landed, payer: prefer };
    }
    const reserved = await this.store.pendingPayers();
    const payer = await this.#payers.take(needWei, signal, { ...(prefer ? { prefer } : {}), reserved });
    await this.store.notePendingPayer(specHash, payer.address);
    const escrowed = await payer.ledger.createAndFundJob(request);
    return { ...escrowed, payer: payer.address };
  }

  /** The account that is the job's requester on chain: its payer's client, else (an adopted job) the node's. */
  async requesterOf(record: JobRecord): Promise<{ ledger: LedgerClient; send: AgentContext['send'] }> {
    const payer = record.state.payer ? await this.#opened(record.state.payer) : undefined;
    return payer ? { ledger: payer.ledger, send: payer.send } : { ledger: this.ctx.ledger, send: this.ctx.send };
  }

  /**
   * Once the job is final, what its payer holds (a settlement's refund, a cheater's slashed stake, an expired job's
   * escrow, the funding's surplus) goes back to the node's account; an expired job is refunded first (anyone may).
   * Idempotent (the record says when it is done).
   */
  async sweepWhenFinal(record: JobRecord): Promise<void> {
    const address = record.state.payer;
    if (!address || record.state.payerSwept) return;
    let sweeping = this.#sweeping.get(record.jobId);
    if (!sweeping) {
      sweeping = this.#sweep(record, address).finally(() => this.#sweeping.delete(record.jobId));
      this.#sweeping.set(record.jobId, sweeping);
    }
    await sweeping;
  }

  async #sweep(record: JobRecord, address: string): Promise<void> {
    const payer = await this.#opened(address);
    if (!payer) return;
    let state = jobStateName((await this.ctx.ledger.market.read.jobOf([record.jobId])).state);
    if (state === 'Expired') {
      await payer
        .send(() => payer.ledger.confirm('refundJob', () => payer.ledger.market.write.refundJob([record.jobId])))
        .catch((error: unknown) => {
          // Refunded by someone else first (anyone may): the next read says so.
          if (!isRevertOf(error, 'IllegalTransition')) throw error;
        });
      state = jobStateName((await this.ctx.ledger.market.read.jobOf([record.jobId])).state);
    }
    if (!DONE_STATES.has(state)) return;
    await payer.send(() => this.#payers.sweep(payer));
    await record.update({ payerSwept: true });
    this.#open.delete(address.toLowerCase());
  }

  #opened(address: string) {
    const key = address.toLowerCase();
    let opened = this.#open.get(key);
    if (!opened) {
      opened = this.#payers.open(key).then((p) => p && { ...p, send: createSerialQueue() });
      // A failed open (a keystore read) is tried again next time.
      opened.catch(() => this.#open.delete(key));
      this.#open.set(key, opened);
    }
    return opened;
  }
}
