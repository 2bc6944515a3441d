/**
 * The requester's chain work after the commitment: redraw a verifier silent past the verify window, settle once the
 * challenge window closes, then fetch the final weights (checked against the committed CID) and mint them as a
 * TrainedAI NFT with lineage. Each step is idempotent by construction: it re-reads the chain before acting (the job's
 * state; for the mint, whether this key already minted a TrainedAI for this job, see trained-ai-mint.ts), and records
 * how far it got in the job's state, so a restarted requester neither settles nor mints twice, and each job of
 * identical terms still gets its own TrainedAI.
 */
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { AicError, pause } from '@aic/core';
import { jobStateName } from '@aic/ledger';
import { cidOfBytes, weightsToSafetensors } from '@aic/model-vessel';
import { fetchCheckpoint } from '../../jobs/checkpoint-transfer.ts';
import {
  type AgentContext,
  committedResultOf,
  errorLine,
  isTransient,
  peerOfAddress,
  type RetryCounter,
  retryTransient,
} from '../context.ts';
import type { JobRecord } from '../job-record.ts';
import type { RoleScope } from '../lifecycle.ts';
import { nodeAccountOnly, type RequesterAccounts } from './job-payers.ts';
import { TrainedAiMinter } from './trained-ai-mint.ts';

export class RequesterSettlement {
  /** One loop of each kind per job at a time. */
  readonly #busy = new Set<string>();
  readonly #minter: TrainedAiMinter;

  constructor(
    private readonly ctx: AgentContext,
    private readonly scope: RoleScope,
    private readonly events: { emit(jobId: bigint, what: string): void; onRetry: RetryCounter },
    /** First wait after a transient failure (default 1 s; tests shorten it). */
    private readonly retryBaseMs = 1_000,
    /** The accounts this node's jobs are paid from (requester/job-payers.ts). */
    private readonly accounts: RequesterAccounts = nodeAccountOnly(ctx),
  ) {
    this.#minter = new TrainedAiMinter(ctx);
  }

  #once(kind: string, record: JobRecord, task: () => Promise<void>): void {
    const key = `${kind}:${record.jobId}`;
    if (this.#busy.has(key)) return;
    this.#busy.add(key);
    void this.scope.spawn(kind, task, { jobId: String(record.jobId) }).finally(() => this.#busy.delete(key));
  }

  /** Settles once the challenge window closes; a transient failure or a lost race is retried (anyone may settle),
   * for as long as the job waits in Verifying: the loop polls the chain every 250 ms, so a bounded count of
   * failures was spent in seconds at 10 % failed RPC requests. */
  settleWhenWindowCloses(record: JobRecord): void {
    this.#once('settlement', record, () =>
      retryTransient(this.ctx, 'settlement', () => this.#settleOnce(record), this.#whileWaiting(record)),
    );
  }

  async #settleOnce(record: JobRecord): Promise<void> {
    const { ledger } = this.ctx;
    const jobId = record.jobId;
    for (;;) {
      const job = await ledger.market.read.jobOf([jobId]);
      const state = jobStateName(job.state);
      if (state === 'Settled') return this.finish(record);
      if (state !== 'Verifying') return;
      // Never settle a job this node also provided and did not pay itself: that is a canary, whose answer it knows
      // is wrong. (A job one of its payers escrowed may be placed on this node's own provider: that one settles.)
      if (job.provider.toLowerCase() === ledger.account().toLowerCase() && !record.state.payer) return;
      const block = await ledger.publicClient.getBlock({ blockTag: 'latest' });
      if (block.timestamp >= BigInt(job.challengeEnds)) {
        const settled = await this.ctx
          .send(() => ledger.confirm('settleJob', () => ledger.market.write.settleJob([jobId])))
          .then(
            () => true,
            (error: unknown) => {
              // someone else settled first (anyone may): the loop re-reads the job
              if (isTransient(error)) throw error;
              this.ctx.log.info({ jobId: String(jobId), err: errorLine(error) }, 'settlement skipped');
              return false;
            },
          );
        if (!settled) {
          if (!(await pause(1_000, this.scope.signal))) return;
          continue;
        }
        await record.update({ step: 'settled' });
        return this.finish(record);
      }
      if (!(await pause(250, this.scope.signal))) return;
    }
  }

  /** While the job waits for its drawn verifier, draws another once the verify window passes without a verdict
   * (an offline verifier must not hold the job; anyone may redraw, the requester is the one waiting). */
  redrawWhenSilent(record: JobRecord): void {
    this.#once('verify-window watch', record, () =>
      retryTransient(
        this.ctx,
        'verify-window watch',
        () => this.#watchVerifyWindow(record),
        this.#whileWaiting(record),
      ),
    );
  }

  async #watchVerifyWindow(record: JobRecord): Promise<void> {
    const { ledger } = this.ctx;
    const jobId = record.jobId;
    for (;;) {
      const job = await ledger.market.read.jobOf([jobId]);
      if (jobStateName(job.state) !== 'Committed') return;
      const now = (await ledger.publicClient.getBlock({ blockTag: 'latest' })).timestamp;
      if (now > BigInt(job.challengeEnds)) {
        await this.ctx
          .send(() => ledger.confirm('redrawVerifier', () => ledger.market.write.redrawVerifier([jobId])))
          .then(
            () => this.ctx.log.warn({ jobId: String(jobId) }, 'verifier silent past the verify window: redrawn'),
            // someone else redrew first, or the verdict landed meanwhile: the loop re-reads the job
            (error: unknown) => {
              if (isTransient(error)) throw error;
              this.ctx.log.info({ jobId: String(jobId), err: errorLine(error) }, 'redraw skipped');
            },
          );
        if (!(await pause(1_000, this.scope.signal))) return;
        continue;
      }
      const waitMs = Math.min(10_000, Math.max(500, Number(BigInt(job.challengeEnds) - now) * 1_000));
      if (!(await pause(waitMs, this.scope.signal))) return;
    }
  }

  /** The result after settlement, with a few attempts (the mirror may still be fetching the final checkpoint, the
   * chain may be busy); after the last, the job's status carries the error instead of waiting for a result. */
  finish(record: JobRecord): Promise<void> {
    if (record.state.step === 'minted') return Promise.resolve();
    this.#once('result', record, async () => {
      try {
        // 25 tries (about 3 minutes): the result step's ~12 chain calls (reads, the mint) all succeed in ~1 try of
        // 4 at 10 % failed RPC requests (issue 18's soak), so 10 tries still left ~4 % of Settled jobs without their
        // TrainedAI. mintOnce keeps the retries from minting twice.
        await retryTransient(this.ctx, 'result', () => this.#finishOnce(record), {
          ...this.#retry(record, 25),
          baseMs: 2 * this.retryBaseMs,
        });
      } catch (error) {
        if (this.scope.stopped) return;
        const line = errorLine(error);
        await record.update({ resultError: line });
        this.events.emit(record.jobId, `result failed: ${line}`);
      }
    });
    return Promise.resolve();
  }

  async #finishOnce(record: JobRecord): Promise<void> {
    const { ledger } = this.ctx;
    const jobId = record.jobId;
    const job = await ledger.market.read.jobOf([jobId]);
    if (jobStateName(job.state) !== 'Settled') return;
    if (record.state.step !== 'settled') await record.update({ step: 'settled' });
    const { resultCid, provider, checkpointRoot } = await committedResultOf(ledger, jobId);
    const last = record.contiguousCommitments().length - 1;
    let final = await record.checkpoint(last);
    if (!final) {
      const peer = await peerOfAddress(this.ctx, provider, this.scope.signal);
      final = await fetchCheckpoint(this.ctx.net, peer, jobId, last, this.scope.signal);
    }
    // The runtime names the job in the file's metadata, so the CID binds the weights to this job.
    const weights = weightsToSafetensors(final.weights, { job: final.jobDigest });
    if ((await cidOfBytes(weights)) !== resultCid) {
      throw new AicError('JOB_RESULT_MISMATCH', `final checkpoint of job ${jobId} does not match the committed CID`);
    }
    const resultPath = join(record.dir, 'result.safetensors');
    await writeFile(resultPath, weights);
    const shares = record.state.lineageBps ?? { dataset: 3_000, model: 2_000 };
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
    // The payer's refund back to the node's account before the TrainedAI: once the job shows it, the job's money
    // has all come home (its requester's balances are final). A transient failure retries this step; any other is
    // logged and left to the reactor's sweep (the TrainedAI must not wait on it).
    await this.accounts.sweepWhenFinal(record).catch((error: unknown) => {
      if (isTransient(error)) throw error;
      this.ctx.log.warn({ jobId: String(jobId), err: errorLine(error) }, 'payer sweep failed');
    });
    const lineage = [
      ...(job.datasetId > 0 ? [{ parentId: BigInt(job.datasetId), shareBps: shares.dataset }] : []),
      ...(job.modelId > 0 ? [{ parentId: BigInt(job.modelId), shareBps: shares.model }] : []),
    ];
    // Minted already for this job (by this node before a crash that lost the outcome)? Then that token: mint once.
    const outcome = { resultPath, resultCid };
    const tokenId = await this.#minter.mintOnce(record, { resultCid, checkpointRoot, lineage }, (id) =>
      record.update({ step: 'minted', outcome: { trainedAssetId: String(id), ...outcome }, resultError: undefined }),
    );
    await writeFile(join(record.dir, 'outcome.json'), JSON.stringify({ trainedAssetId: String(tokenId), ...outcome }));
    this.events.emit(jobId, `TrainedAI #${tokenId} minted`);
    // This node's own payer account (issue 15) keeps nothing: the TrainedAI stays with the node, as when its key paid.
    if (record.state.payer?.toLowerCase() !== job.requester.toLowerCase()) {
      await this.#handOverToPayer(jobId, job.requester, tokenId);
    }
  }

  /**
   * A job another account paid (a browser wallet escrowed it, this node coordinated it: payer-jobs.ts) yields that
   * account's TrainedAI: the node mints it (the registry mints to the caller) and then transfers it. Idempotent: a
   * retry after a crash finds the token already gone and does nothing.
   */
  async #handOverToPayer(jobId: bigint, payer: `0x${string}`, tokenId: bigint): Promise<void> {
    const { ledger } = this.ctx;
    const self = ledger.account().toLowerCase();
    if (payer.toLowerCase() === self) return;
    if ((await ledger.registry.read.ownerOf([tokenId])).toLowerCase() !== self) return;
    await this.ctx.send(() => ledger.transferAsset(tokenId, payer));
    this.events.emit(jobId, `TrainedAI #${tokenId} transferred to its payer ${payer}`);
  }

  /** The job is final: what its payer holds goes back to the node's account (retried on transient failures; a
   * failure after that is logged, and the next restart's resume tries again). */
  sweepPayer(record: JobRecord): void {
    if (!record.state.payer || record.state.payerSwept) return;
    this.#once('payer sweep', record, async () => {
      await retryTransient(
        this.ctx,
        'payer sweep',
        () => this.accounts.sweepWhenFinal(record),
        this.#retry(record, 10),
      );
    });
  }

  #retry(record: JobRecord, attempts: number) {
    return {
      attempts,
      jobId: record.jobId,
      signal: this.scope.signal,
      onRetry: this.events.onRetry,
      baseMs: this.retryBaseMs,
    };
  }

  /** Watches that end by themselves once the job leaves the state they wait on (each try re-reads it) retry every
   * transient failure, at most 5 s apart: in issue 18's soak a watch that polled for minutes through several redraws
   * spent its 20 tries on failed reads and stopped, leaving the job Committed with nobody to redraw its verifier. */
  #whileWaiting(record: JobRecord) {
    return { ...this.#retry(record, Number.POSITIVE_INFINITY), maxMs: 5 * this.retryBaseMs };
  }
}
