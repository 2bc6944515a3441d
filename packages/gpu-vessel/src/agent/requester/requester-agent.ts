/**
 * The requester's side of a verified job (DESIGN.md §6): quote → escrow → serve the ticket to the parties the chain
 * names → record progress and mirror every checkpoint the provider reports → settle after the challenge window →
 * write the result and mint it as a TrainedAI NFT with lineage (dataset, base model; the provider in its manifest).
 * This class composes the parts (job store, protocol server, chain reactor, settlement) under one lifecycle; each
 * job's state is on disk, so a requester killed at any point and started again goes on where it stopped.
 */
import type { HardwareRequirement } from '@aic/allocator';
import { AicError, isAicError, retry } from '@aic/core';
import { DEFAULT_PRESET } from '@aic/core/params';
import { type JobRequestInput, jobStateName } from '@aic/ledger';
import type { Checkpoint, Commitment } from '@aic/model-vessel';
import type { OfferEventDetail } from '@aic/network';
import { quoteVerification } from '@aic/verification';
import type { Address } from 'viem';
import { encodeJobTicket, ticketHash } from '../../jobs/job-ticket.ts';
import { type AgentContext, errorLine } from '../context.ts';
import type { FreshPayerPort } from '../fresh-payers.ts';
import type { ProgressLine } from '../job-record.ts';
import { RoleScope, type Startable } from '../lifecycle.ts';
import { hardwareFor, verificationOf, withVerificationTerms } from './backend-terms.ts';
import { RequesterChainReactor } from './chain-reactor.ts';
import { JobPayers, nodeAccountOnly } from './job-payers.ts';
import { RequesterJobServer } from './job-server.ts';
import { JobStore, jobCreatedWith } from './job-store.ts';
import {
  awaitNoPendingTransaction,
  checkSameTerms,
  isRpcTransportFailure,
  KEYED_SUBMIT_ATTEMPTS,
} from './keyed-submit.ts';
import { KnownMachines } from './known-machines.ts';
import { type AdoptedJob, PayerJobs } from './payer-jobs.ts';
import { prepareSubmission, type TicketTerms } from './prepare-submission.ts';
import { ProviderLiveness } from './provider-liveness.ts';
import { RequesterSettlement } from './settlement.ts';
import { SubmitKeys, type SubmitResult } from './submit-keys.ts';
import { type JobOutcome, type JobQuote, type JobStatus, type JobSubmission, STALL_AFTER_MS } from './types.ts';

/** The ticket's hardware field (absent when the job names none). */
function withHardware(input: JobSubmission): { hardware?: HardwareRequirement } {
  const hardware = hardwareFor(input);
  return hardware ? { hardware } : {};
}

const FINAL_STATES = new Set(['Settled', 'Slashed', 'Refunded', 'Expired']);

export class RequesterAgent implements Startable {
  readonly #listeners = new Set<(jobId: bigint, what: string) => void>();
  readonly #store: JobStore;
  readonly #scope: RoleScope;
  readonly #server: RequesterJobServer;
  readonly #settlement: RequesterSettlement;
  readonly #reactor: RequesterChainReactor;
  readonly #submitKeys: SubmitKeys;
  readonly #payerJobs: PayerJobs;
  /** The machines offered on the network: a hardware requirement none of them meets is refused before escrow. */
  readonly #market = new KnownMachines();

  readonly #liveness: ProviderLiveness;
  /** The fresh accounts this node's jobs are paid from (absent: its own account pays, as in unit tests). */
  readonly #payers: JobPayers | undefined;

  /** `livenessGraceMs`: a provider of this node's job unreachable this long is preempted (where the market lets the
   * requester: issue 15; default the default preset's). `payers`: where the keys of the fresh accounts every job is
   * paid from are kept (the node always gives it: issue 15). */
  constructor(
    private readonly ctx: AgentContext,
    root: string,
    options: { livenessGraceMs?: number; payers?: FreshPayerPort } = {},
  ) {
    this.#store = new JobStore(root);
    this.#payers = options.payers ? new JobPayers(ctx, options.payers, this.#store) : undefined;
    this.#submitKeys = new SubmitKeys(root);
    this.#payerJobs = new PayerJobs(ctx, this.#store);
    this.#scope = new RoleScope('requester', ctx.log);
    const events = {
      emit: (jobId: bigint, what: string) => this.#emit(jobId, what),
      onRetry: (jobId: bigint) => void this.#countRetry(jobId).catch(() => undefined),
    };
    this.#server = new RequesterJobServer(ctx, this.#store, this.#scope, events);
    const accounts = this.#payers ?? nodeAccountOnly(ctx);
    this.#settlement = new RequesterSettlement(ctx, this.#scope, events, undefined, accounts);
    this.#reactor = new RequesterChainReactor(ctx, this.#store, this.#scope, this.#settlement, this.#server, events);
    const graceMs = options.livenessGraceMs ?? DEFAULT_PRESET.coordinator.livenessGraceMs;
    this.#liveness = new ProviderLiveness(ctx, this.#store, this.#scope, graceMs, accounts);
  }

  async start(): Promise<void> {
    try {
      const onOffer = (e: Event) => this.#market.add((e as CustomEvent<OfferEventDetail>).detail);
      this.ctx.net.addEventListener('offer', onOffer);
      this.#market.listen(Date.now());
      this.#scope.defer(() => this.ctx.net.removeEventListener('offer', onOffer));
      await this.#payers?.load();
      // Escrows sent just before a crash become records before anyone asks for their ticket.
      const recovered = await this.#store.recoverPending(this.ctx.ledger);
      if (recovered > 0) this.ctx.log.info({ jobs: recovered }, 'escrows recovered after a restart');
      await this.#server.start();
      await this.#reactor.start();
      this.#liveness.start();
    } catch (error) {
      await this.stop();
      throw error;
    }
  }

  async stop(): Promise<void> {
    await this.#scope.close();
  }

  /** Listens to what happens to this node's jobs (progress and chain events), for logs and `aic job status`. */
  onUpdate(listener: (jobId: bigint, what: string) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /** What the job would cost and how it would be verified, before paying. A job on published assets is resolved
   * from the chain and the dataset manifest: a dataset that does not fit the model is refused here
   * (JOB_SCHEMA_MISMATCH), as are wrong asset kinds and a model whose bytes do not hash to its root. */
  async quote(input: JobSubmission): Promise<JobQuote> {
    return (await this.#priced(input)).quote;
  }

  async #priced(input: JobSubmission): Promise<{ quote: JobQuote; terms: TicketTerms }> {
    this.#market.check(hardwareFor(input), Date.now(), this.ctx.ledger.account());
    const prepared = await prepareSubmission(this.ctx, { ...input, spec: withVerificationTerms(input.spec) });
    const segments = Math.ceil(prepared.totalSteps / prepared.commitEverySteps);
    const q = await this.ctx.ledger.quoteJob(this.#request(input, segments, '0x'.padEnd(66, '0') as `0x${string}`));
    const v = quoteVerification({ segments, confidence: input.confidence, cheatFraction: input.cheatFraction });
    const quote = {
      totalWei: q.totalWei,
      providerWei: input.providerBudgetWei,
      protocolFeeWei: q.protocolFeeWei,
      datasetFeeWei: q.datasetFeeWei,
      modelFeeWei: q.modelFeeWei,
      verifierFeeWei: q.verifierFeeWei,
      segments,
      totalSteps: prepared.totalSteps,
      ...v,
      verification: verificationOf(prepared.terms.spec),
    };
    return { quote, terms: prepared.terms };
  }

  /** Escrows the job on chain (one permit-signed transaction) and keeps its ticket to hand to the assigned parties.
   * The ticket is on disk before the transaction is sent (see JobStore). With an `idempotencyKey` (or an explicit
   * nonce) a repeated submit returns the first job instead of escrowing again (see SubmitKeys). */
  async submit(input: JobSubmission): Promise<SubmitResult> {
    const key = input.idempotencyKey ?? (input.nonce === undefined ? undefined : `nonce:${input.nonce}`);
    if (key === undefined) return (await this.#submitOnce(input)).submitted;
    // A keyed submit is safe to repeat (its record and the chain say whether the escrow landed), so an RPC call that
    // failed on the way (a dropped connection, a 503, a timeout; never a revert) is retried here.
    return await retry(() => this.#submitKeyed(key, input), {
      attempts: KEYED_SUBMIT_ATTEMPTS,
      baseMs: 500,
      maxMs: 8_000,
      retryable: isRpcTransportFailure,
      onRetry: ({ error, attempt, delayMs }) =>
        this.ctx.log.warn({ attempt, delayMs, err: errorLine(error) }, 'keyed submit failed; retrying'),
    });
  }

  async #submitKeyed(key: string, input: JobSubmission): Promise<SubmitResult> {
    return await this.#submitKeys.serialize(key, async () => {
      const known = await this.#submitKeys.get(key);
      if (known?.result) return known.result;
      if (known) {
        // A submit with this key sent its escrow and lost the answer: the chain says whether it landed (once no
        // transaction of its payer waits in the mempool, where #escrowOf cannot see it).
        const landed = await this.#escrowOf(known.ticket);
        if (landed) {
          const { quote } = await this.#priced(input);
          const result = { jobId: landed.jobId, escrowWei: landed.escrowWei, quote };
          if (!(await this.#store.get(landed.jobId))) {
            const state = { ...this.#ticketState(input), ...(landed.payer ? { payer: landed.payer } : {}) };
            await this.#store.completeEscrow(landed.jobId, known.ticket, state);
          }
          await this.#submitKeys.put(key, { ticket: known.ticket, result });
          return result;
        }
      }
      const result = await this.#submitOnce(input, known?.ticket, (ticket) => this.#submitKeys.put(key, { ticket }));
      await this.#submitKeys.put(key, { ticket: result.ticket, result: result.submitted });
      return result.submitted;
    });
  }

  /** Quotes, writes the ticket (or reuses the bytes a keyed submit sent before), escrows. */
  async #submitOnce(
    input: JobSubmission,
    reuse?: Uint8Array,
    beforeSend?: (ticket: Uint8Array) => Promise<void>,
  ): Promise<{ submitted: SubmitResult; ticket: Uint8Array }> {
    const { quote, terms } = await this.#priced(input);
    const encode = (nonce: string) => encodeJobTicket({ ...terms, nonce, ...withHardware(input) });
    const ticket = reuse ?? encode(input.nonce ?? `${Date.now()}-${Math.random().toString(36).slice(2)}`);
    if (reuse) checkSameTerms(reuse, encode);
    const state = this.#ticketState(input);
    await beforeSend?.(ticket);
    const specHash = await this.#store.beginEscrow(ticket, state);
    const request = this.#request(input, quote.segments, specHash);
    let escrowed: { jobId: bigint; escrowWei: bigint; payer?: string };
    try {
      // From a fresh account of this node (issue 15), funded a random lead of blocks before: see JobPayers.
      escrowed = this.#payers
        ? await this.#payers.escrow(specHash, request, quote.totalWei, this.#scope.signal)
        : await this.ctx.send(() => this.ctx.ledger.createAndFundJob(request));
    } catch (error) {
      // A revert sent nothing; an RPC failure may have: the pending ticket stays for the restart check then.
      if (isAicError(error, 'LEDGER_REVERTED')) {
        await this.#store.abandonEscrow(specHash);
      }
      throw error;
    }
    await this.#store.completeEscrow(escrowed.jobId, ticket, { ...state, payer: escrowed.payer });
    return { submitted: { jobId: escrowed.jobId, escrowWei: escrowed.escrowWei, quote }, ticket };
  }

  /** A job another account pays (a browser wallet): quotes, keeps the ticket as pending and returns the exact
   * ComputeMarket request (with the ticket's hash as specHash) the payer escrows; then {@link adopt}. */
  async prepareForPayer(input: JobSubmission): Promise<{ quote: JobQuote; request: JobRequestInput }> {
    const { quote, terms } = await this.#priced(input);
    const nonce = input.nonce ?? `${Date.now()}-${Math.random().toString(36).slice(2)}`;
    const ticket = encodeJobTicket({ ...terms, nonce, ...withHardware(input) });
    const { specHash: _unset, ...request } = this.#request(input, quote.segments, '0x');
    return { quote, request: await this.#payerJobs.prepare(ticket, request) };
  }

  /** Whether `address` is one of the fresh accounts this node pays its jobs from (its jobs under another name). */
  isOwnPayer(address: string): boolean {
    return this.#payers?.isPayer(address) ?? false;
  }

  /** Whether this node follows the job (escrowed it, or adopted it). */
  async isOwn(jobId: bigint): Promise<boolean> {
    return (await this.#store.get(jobId)) !== undefined;
  }

  /** The on-chain payer and state of a job, before {@link adopt}. */
  async payerJobFacts(jobId: bigint): Promise<Omit<AdoptedJob, 'adopted'>> {
    return await this.#payerJobs.facts(jobId);
  }

  /** Takes on a job another account escrowed with a ticket {@link prepareForPayer} made: from now on this node
   * serves its ticket, records its progress, settles it and mints its TrainedAI, as for its own jobs. */
  async adopt(jobId: bigint): Promise<AdoptedJob> {
    const adopted = await this.#payerJobs.adopt(jobId);
    if (adopted.adopted) this.#emit(jobId, 'adopted');
    return adopted;
  }

  #ticketState(input: JobSubmission) {
    return { step: 'escrowed' as const, lineageBps: input.lineageBps };
  }

  /** The job this node escrowed with exactly these ticket bytes, if it is recorded or its JobCreated is on chain
   * (under the payer the ticket was bound to, else this node's account), with that payer. */
  async #escrowOf(ticket: Uint8Array): Promise<{ jobId: bigint; escrowWei: bigint; payer?: string } | undefined> {
    const hash = ticketHash(ticket);
    const recorded = await this.#store.recordOfTicket(ticket);
    if (recorded) {
      const payer = recorded.state.payer as `0x${string}` | undefined;
      const event = await jobCreatedWith(this.ctx.ledger, payer ?? this.ctx.ledger.account(), hash);
      const escrowWei = event?.escrowWei ?? (await this.ctx.ledger.market.read.jobOf([recorded.jobId])).escrow;
      return { jobId: recorded.jobId, escrowWei, ...(payer ? { payer } : {}) };
    }
    const payer = await this.#store.pendingPayer(hash);
    const requester = payer ?? this.ctx.ledger.account();
    await awaitNoPendingTransaction(this.ctx.ledger, requester);
    const landed = await jobCreatedWith(this.ctx.ledger, requester, hash);
    return landed && { ...landed, ...(payer ? { payer } : {}) };
  }

  async status(jobId: bigint): Promise<JobStatus> {
    const job = await this.ctx.ledger.market.read.jobOf([jobId]);
    const record = await this.#store.get(jobId);
    const last = record?.progress.at(-1);
    const state = jobStateName(job.state);
    const lastProgressAtMs = record?.state.lastProgressAtMs;
    const open = !FINAL_STATES.has(state) || (state === 'Settled' && record?.state.step !== 'minted');
    const stalled =
      open &&
      lastProgressAtMs !== undefined &&
      Date.now() - lastProgressAtMs >= STALL_AFTER_MS &&
      !record?.state.resultError;
    const outcome = record?.state.outcome;
    return {
      jobId,
      state,
      provider: job.provider,
      verifier: job.verifier,
      resumeFrom: job.resumeFrom,
      checkpointCount: job.checkpointCount,
      step: last?.step,
      totalSteps: last?.totalSteps,
      loss: last?.loss,
      accuracy: last?.accuracy,
      commitments: record?.commitments.length ?? 0,
      outcome: outcome && { ...outcome, trainedAssetId: BigInt(outcome.trainedAssetId) },
      resultError: record?.state.resultError,
      retries: record?.state.retries ?? 0,
      redraws: record?.state.redraws ?? 0,
      lastProgressAtMs,
      stalledSinceMs: stalled ? lastProgressAtMs : undefined,
    };
  }

  async logs(jobId: bigint): Promise<ProgressLine[]> {
    return (await this.#store.get(jobId))?.progress ?? [];
  }

  async outcome(jobId: bigint): Promise<JobOutcome | undefined> {
    const outcome = (await this.#store.get(jobId))?.state.outcome;
    return outcome && { ...outcome, trainedAssetId: BigInt(outcome.trainedAssetId) };
  }

  /** Records a run this node did itself (the coordinator's canaries): the reported commitments and the checkpoints. */
  async recordOwnRun(jobId: bigint, commitments: readonly Commitment[], checkpoints: readonly Checkpoint[]) {
    const record = await this.#store.get(jobId);
    if (!record) throw new AicError('JOB_NOT_FOUND', `job ${jobId} is not this node's`);
    for (const [index, c] of commitments.entries()) {
      const line = {
        atMs: Date.now(),
        step: c.step,
        totalSteps: commitments.at(-1)?.step ?? c.step,
        provider: this.ctx.ledger.account(),
        checkpoint: index,
      };
      await record.addProgress(line, { index, step: c.step, hash: c.hash });
    }
    for (const checkpoint of checkpoints) await record.mirror(checkpoint);
  }

  /** Mirrored checkpoints, served to verifiers, the arbiter and a replacement provider. */
  async checkpointSource(jobId: bigint, index: number, sender: Address) {
    const record = await this.#store.get(jobId);
    if (!record) return undefined;
    await this.#server.authorize(jobId, sender);
    return await record.checkpoint(index);
  }

  #request(input: JobSubmission, segments: number, specHash: `0x${string}`) {
    return {
      datasetId: Number(input.datasetId),
      modelId: Number(input.modelId),
      providerBudgetWei: input.providerBudgetWei,
      verifierFeeWei: input.verifierFeeWei,
      minHwClass: input.minHwClass,
      checkpointCount: segments,
      deadline: Math.floor(Date.now() / 1000) + input.deadlineSec,
      specHash,
    };
  }

  async #countRetry(jobId: bigint): Promise<void> {
    const record = await this.#store.get(jobId);
    if (record) await record.update({ retries: record.state.retries + 1 });
  }

  #emit(jobId: bigint, what: string): void {
    for (const listener of this.#listeners) listener(jobId, what);
  }
}
