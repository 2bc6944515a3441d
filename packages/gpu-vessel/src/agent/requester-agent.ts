/**
 * The requester's side of a verified job (DESIGN.md §6): quote → escrow → serve the ticket to the parties the chain
 * names → record progress and mirror every checkpoint the provider reports → settle after the challenge window →
 * write the result and mint it as a TrainedAI NFT with lineage (dataset, base model; the provider in its manifest).
 */
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { AicError } from '@aic/core';
import { AssetKind, jobStateName, roleId } from '@aic/ledger';
import {
  type Checkpoint,
  type Commitment,
  cidOfBytes,
  commitmentOfCheckpoint,
  type JobSpec,
  resolveJob,
  weightsToSafetensors,
} from '@aic/model-vessel';
import { quoteVerification } from '@aic/verification';
import type { Address } from 'viem';
import { fetchCheckpoint, fetchCheckpointWithFiles } from '../jobs/checkpoint-transfer.ts';
import { loadDatasetSource } from '../jobs/dataset-source.ts';
import { encodeJobTicket, ticketHash } from '../jobs/job-ticket.ts';
import { jobProgressProtocol, jobTicketFetchProtocol } from '../jobs/protocols.ts';
import { type AgentContext, committedResultOf, errorLine, peerOfAddress } from './context.ts';
import { JobRecord, type ProgressLine } from './job-record.ts';

export interface JobSubmission {
  spec: JobSpec;
  /** Training data source, e.g. 'template:mnist/train' (checked against the Dataset NFT by the provider). */
  dataset: string;
  datasetId: bigint;
  modelId: bigint;
  providerBudgetWei: bigint;
  verifierFeeWei: bigint;
  minHwClass: number;
  deadlineSec: number;
  confidence: number;
  cheatFraction: number;
  /** TrainedAI lineage shares (bps) of the dataset and the model. */
  lineageBps?: { dataset: number; model: number };
  nonce?: string;
}

export interface JobQuote {
  totalWei: bigint;
  providerWei: bigint;
  protocolFeeWei: bigint;
  datasetFeeWei: bigint;
  modelFeeWei: bigint;
  verifierFeeWei: bigint;
  segments: number;
  totalSteps: number;
  samples: number;
  pDetect: number;
  overhead: number;
}

export interface JobOutcome {
  trainedAssetId: bigint;
  resultPath: string;
  resultCid: string;
}

export class RequesterAgent {
  readonly #records = new Map<bigint, JobRecord>();
  readonly #outcomes = new Map<bigint, JobOutcome>();
  readonly #settling = new Set<bigint>();
  readonly #providers = new Map<bigint, string>();
  readonly #listeners = new Set<(jobId: bigint, what: string) => void>();

  constructor(
    private readonly ctx: AgentContext,
    private readonly root: string,
  ) {}

  async start(): Promise<void> {
    const { net, watcher } = this.ctx;
    await net.handle(jobTicketFetchProtocol, async ({ jobId: text }, { sender }) => {
      const jobId = BigInt(text);
      const record = await this.#record(jobId);
      if (!record) throw new AicError('JOB_NOT_FOUND', `job ${jobId} is not this node's`);
      await this.#authorize(jobId, sender);
      return {
        ticket: record.ticket,
        commitments: record.contiguousCommitments(),
        mirrored: await record.mirroredIndices(),
      };
    });
    await net.handle(jobProgressProtocol, async (p, { sender, peer }) => {
      const jobId = BigInt(p.jobId);
      const record = await this.#record(jobId);
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
      this.#emit(jobId, `step ${p.step}/${p.totalSteps}`);
      // Mirror the checkpoint in the background: the provider's stream must not wait for the transfer.
      if (p.checkpoint) {
        const { index, step, hash } = p.checkpoint;
        // One transfer at a time per job: parallel multi-MB pulls would compete and fall further behind.
        void record
          .mirrorQueue(async () => {
            const got = await fetchCheckpointWithFiles(net, peer.toString(), jobId, index, this.ctx.signal);
            // Only the reported state is kept: a mirror of something else would mislead a resume or a verifier.
            if (got.checkpoint.step !== step || commitmentOfCheckpoint(got.checkpoint) !== hash) {
              throw new AicError('JOB_MIRROR_MISMATCH', `checkpoint ${index} is not the one reported`, {
                details: { jobId: String(jobId), index },
              });
            }
            await record.mirrorFiles(step, got.files);
          })
          .catch((error: unknown) =>
            this.ctx.log.warn({ jobId: String(jobId), index, err: errorLine(error) }, 'mirror failed'),
          );
      }
      return { ok: true };
    });
    watcher.on(async (event) => {
      const jobId = (event.args as { jobId?: bigint }).jobId;
      if (jobId === undefined || !(await this.#record(jobId))) return;
      this.#emit(jobId, event.eventName);
      if (event.eventName === 'VerdictSubmitted' && (event.args as { valid?: boolean }).valid) {
        void this.#settleWhenWindowCloses(jobId);
      }
      if (event.eventName === 'DisputeResolved' && !(event.args as { providerCheated?: boolean }).providerCheated) {
        void this.#settleWhenWindowCloses(jobId);
      }
      if (event.eventName === 'JobSettled') void this.#finishWithRetries(jobId);
      if (event.eventName === 'ResultCommitted' || event.eventName === 'VerifierRedrawn') {
        void this.#redrawWhenSilent(jobId);
      }
    });
  }

  /** Listens to what happens to this node's jobs (progress and chain events), for logs and `aic job status`. */
  onUpdate(listener: (jobId: bigint, what: string) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /** What the job would cost and how it would be verified, before paying. */
  async quote(input: JobSubmission): Promise<JobQuote> {
    const data = await loadDatasetSource(input.dataset);
    const resolved = resolveJob(input.spec, data);
    const segments = Math.ceil(resolved.totalSteps / resolved.commitEverySteps);
    const q = await this.ctx.ledger.quoteJob(this.#request(input, segments, '0x'.padEnd(66, '0') as `0x${string}`));
    const v = quoteVerification({ segments, confidence: input.confidence, cheatFraction: input.cheatFraction });
    return {
      totalWei: q.totalWei,
      providerWei: input.providerBudgetWei,
      protocolFeeWei: q.protocolFeeWei,
      datasetFeeWei: q.datasetFeeWei,
      modelFeeWei: q.modelFeeWei,
      verifierFeeWei: q.verifierFeeWei,
      segments,
      totalSteps: resolved.totalSteps,
      ...v,
    };
  }

  /** Escrows the job on chain (one permit-signed transaction) and keeps its ticket to hand to the assigned parties. */
  async submit(input: JobSubmission): Promise<{ jobId: bigint; escrowWei: bigint; quote: JobQuote }> {
    const quote = await this.quote(input);
    const ticket = encodeJobTicket({
      spec: input.spec,
      dataset: input.dataset,
      nonce: input.nonce ?? `${Date.now()}-${Math.random().toString(36).slice(2)}`,
    });
    const request = this.#request(input, quote.segments, ticketHash(ticket));
    this.#lineage.set(ticketHash(ticket), input);
    const { jobId, escrowWei } = await this.ctx.send(() => this.ctx.ledger.createAndFundJob(request));
    const record = await JobRecord.create(this.root, jobId, ticket);
    this.#records.set(jobId, record);
    await writeFile(join(record.dir, 'submission.json'), JSON.stringify({ ...input, spec: undefined }, bigintJson));
    return { jobId, escrowWei, quote };
  }

  readonly #lineage = new Map<string, JobSubmission>();
  /** Jobs whose verify window this node is watching. */
  readonly #watchingVerdict = new Set<bigint>();
  /** Why a settled job's result could not be fetched or minted (after retries). */
  readonly #resultErrors = new Map<bigint, string>();

  async status(jobId: bigint) {
    const job = await this.ctx.ledger.market.read.jobOf([jobId]);
    const record = await this.#record(jobId);
    const last = record?.progress.at(-1);
    return {
      jobId,
      state: jobStateName(job.state),
      provider: job.provider,
      verifier: job.verifier,
      resumeFrom: job.resumeFrom,
      checkpointCount: job.checkpointCount,
      step: last?.step,
      totalSteps: last?.totalSteps,
      loss: last?.loss,
      accuracy: last?.accuracy,
      commitments: record?.commitments.length ?? 0,
      outcome: this.#outcomes.get(jobId),
      resultError: this.#resultErrors.get(jobId),
    };
  }

  async logs(jobId: bigint): Promise<ProgressLine[]> {
    return (await this.#record(jobId))?.progress ?? [];
  }

  outcome(jobId: bigint): JobOutcome | undefined {
    return this.#outcomes.get(jobId);
  }

  /** Records a run this node did itself (the coordinator's canaries): the reported commitments and the checkpoints. */
  async recordOwnRun(jobId: bigint, commitments: readonly Commitment[], checkpoints: readonly Checkpoint[]) {
    const record = await this.#record(jobId);
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
    const record = await this.#record(jobId);
    if (!record) return undefined;
    await this.#authorize(jobId, sender);
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

  async #record(jobId: bigint): Promise<JobRecord | undefined> {
    let record = this.#records.get(jobId);
    if (!record) {
      record = await JobRecord.load(this.root, jobId);
      if (record) this.#records.set(jobId, record);
    }
    return record;
  }

  /** The ticket and checkpoints go to the job's provider and to protocol roles (verifiers, arbiters, allocators). */
  async #authorize(jobId: bigint, sender: Address): Promise<void> {
    const market = this.ctx.ledger.market;
    const job = await market.read.jobOf([jobId]);
    if (job.provider.toLowerCase() === sender.toLowerCase()) return;
    for (const role of ['VERIFIER_ROLE', 'ARBITER_ROLE', 'ALLOCATOR_ROLE']) {
      if (await market.read.hasRole([roleId(role), sender])) return;
    }
    throw new AicError('JOB_ACCESS_DENIED', `${sender} may not read job ${jobId}`);
  }

  /** Settles once the challenge window closes; an RPC error or a lost race is retried (anyone may settle), so a
   * passed job is never left unsettled. One loop per job at a time. */
  async #settleWhenWindowCloses(jobId: bigint): Promise<void> {
    if (this.#settling.has(jobId)) return;
    this.#settling.add(jobId);
    try {
      for (let attempt = 1; ; attempt++) {
        try {
          return await this.#settleOnce(jobId);
        } catch (error) {
          const retry = attempt < 10 && !this.ctx.signal.aborted;
          this.ctx.log.warn(
            { jobId: String(jobId), attempt, err: errorLine(error) },
            `settlement failed${retry ? '; retrying' : ''}`,
          );
          if (!retry) return;
          await delay(2_000, undefined, { signal: this.ctx.signal }).catch(() => undefined);
        }
      }
    } finally {
      this.#settling.delete(jobId);
    }
  }

  async #settleOnce(jobId: bigint): Promise<void> {
    const { ledger } = this.ctx;
    for (;;) {
      if (this.ctx.signal.aborted) return;
      const job = await ledger.market.read.jobOf([jobId]);
      if (jobStateName(job.state) !== 'Verifying') return;
      // Never settle a job this node also provided: that is a canary, whose answer it knows is wrong.
      if (job.provider.toLowerCase() === ledger.account().toLowerCase()) return;
      const block = await ledger.publicClient.getBlock({ blockTag: 'latest' });
      if (block.timestamp >= BigInt(job.challengeEnds)) {
        await this.ctx.send(() => ledger.confirm('settleJob', () => ledger.market.write.settleJob([jobId])));
        return;
      }
      await delay(250, undefined, { signal: this.ctx.signal }).catch(() => undefined);
    }
  }

  /** While the job waits for its drawn verifier, draws another once the verify window passes without a verdict
   * (an offline verifier must not hold the job; anyone may redraw, the requester is the one waiting). */
  async #redrawWhenSilent(jobId: bigint): Promise<void> {
    if (this.#watchingVerdict.has(jobId)) return;
    this.#watchingVerdict.add(jobId);
    const { ledger } = this.ctx;
    try {
      for (;;) {
        if (this.ctx.signal.aborted) return;
        const job = await ledger.market.read.jobOf([jobId]);
        if (jobStateName(job.state) !== 'Committed') return;
        const now = (await ledger.publicClient.getBlock({ blockTag: 'latest' })).timestamp;
        if (now > BigInt(job.challengeEnds)) {
          await this.ctx
            .send(() => ledger.confirm('redrawVerifier', () => ledger.market.write.redrawVerifier([jobId])))
            .then(
              () => this.ctx.log.warn({ jobId: String(jobId) }, 'verifier silent past the verify window: redrawn'),
              // someone else redrew first, or the verdict landed meanwhile: the loop re-reads the job
              (error: unknown) => this.ctx.log.info({ jobId: String(jobId), err: errorLine(error) }, 'redraw skipped'),
            );
          await delay(1_000, undefined, { signal: this.ctx.signal }).catch(() => undefined);
          continue;
        }
        const waitMs = Math.min(10_000, Math.max(500, Number(BigInt(job.challengeEnds) - now) * 1_000));
        await delay(waitMs, undefined, { signal: this.ctx.signal }).catch(() => undefined);
      }
    } catch (error) {
      this.ctx.log.warn({ jobId: String(jobId), err: errorLine(error) }, 'verify-window watch stopped');
    } finally {
      this.#watchingVerdict.delete(jobId);
    }
  }

  /** #finish with a few attempts (the mirror may still be fetching the final checkpoint, the chain may be busy);
   * after the last, the job's status carries the error instead of waiting for a result that will not come. */
  async #finishWithRetries(jobId: bigint): Promise<void> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await this.#finish(jobId);
      } catch (error) {
        if (this.ctx.signal.aborted) return;
        const line = errorLine(error);
        this.ctx.log.warn({ jobId: String(jobId), attempt, err: line }, 'result not finished');
        if (attempt >= 4) {
          this.#resultErrors.set(jobId, line);
          this.#emit(jobId, `result failed: ${line}`);
          return;
        }
        await delay(1_000 * 2 ** attempt, undefined, { signal: this.ctx.signal }).catch(() => undefined);
      }
    }
  }

  /** After settlement: the final weights from the mirror (checked against the committed CID), then the TrainedAI NFT. */
  async #finish(jobId: bigint): Promise<void> {
    if (this.#outcomes.has(jobId)) return;
    const record = await this.#record(jobId);
    if (!record) return;
    const { ledger } = this.ctx;
    const { resultCid, provider, checkpointRoot } = await committedResultOf(ledger, jobId);
    const job = await ledger.market.read.jobOf([jobId]);
    const last = record.contiguousCommitments().length - 1;
    let final = await record.checkpoint(last);
    if (!final) {
      final = await fetchCheckpoint(this.ctx.net, await peerOfAddress(this.ctx, provider), jobId, last);
    }
    // The runtime names the job in the file's metadata, so the CID binds the weights to this job.
    const weights = weightsToSafetensors(final.weights, { job: final.jobDigest });
    if ((await cidOfBytes(weights)) !== resultCid) {
      throw new AicError('JOB_RESULT_MISMATCH', `final checkpoint of job ${jobId} does not match the committed CID`);
    }
    const resultPath = join(record.dir, 'result.safetensors');
    await writeFile(resultPath, weights);
    const shares = this.#lineage.get(ticketHash(record.ticket))?.lineageBps ?? { dataset: 3_000, model: 2_000 };
    await writeFile(
      join(record.dir, 'trained-ai.json'),
      JSON.stringify({
        jobId: String(jobId),
        resultCid,
        checkpointRoot,
        provider,
        datasetId: job.datasetId,
        modelId: job.modelId,
      }),
    );
    const lineage = [
      ...(job.datasetId > 0 ? [{ parentId: BigInt(job.datasetId), shareBps: shares.dataset }] : []),
      ...(job.modelId > 0 ? [{ parentId: BigInt(job.modelId), shareBps: shares.model }] : []),
    ];
    const { tokenId } = await this.ctx.send(() =>
      ledger.mintAsset({
        kind: AssetKind.TrainedAI,
        manifestCid: resultCid,
        contentRoot: checkpointRoot,
        pricePerUseWei: 0n,
        lineage,
      }),
    );
    this.#outcomes.set(jobId, { trainedAssetId: tokenId, resultPath, resultCid });
    await writeFile(join(record.dir, 'outcome.json'), JSON.stringify(this.#outcomes.get(jobId), bigintJson));
    this.#emit(jobId, `TrainedAI #${tokenId} minted`);
  }

  #emit(jobId: bigint, what: string): void {
    for (const listener of this.#listeners) listener(jobId, what);
  }
}

const bigintJson = (_key: string, value: unknown) => (typeof value === 'bigint' ? value.toString() : value);
