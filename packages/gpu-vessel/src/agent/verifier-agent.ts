/**
 * The verifier role: it stakes at start (verifiers are drawn among the staked); for each committed job it is drawn
 * for, it fetches the ticket and the commitments from the requester, re-runs the sampled segments from their
 * checkpoints and posts its verdict. A transient failure (the
 * requester restarting, a checkpoint stream cut or too slow, the chain's RPC briefly gone) is retried with backoff
 * inside the role until the verify window is nearly over, instead of leaving the job to a redraw.
 */

import { join } from 'node:path';
import { isAicError } from '@aic/core';
import { jobStateName } from '@aic/ledger';
import { commitmentRoot, type RuntimeBackend } from '@aic/model-vessel';
import { quoteVerification } from '@aic/verification';
import { fetchCheckpoint } from '../jobs/checkpoint-transfer.ts';
import { jobSampleKey } from '../jobs/job-key.ts';
import { defaultJobDataDir, loadTicketDataset, removeJobData } from '../jobs/ticket-data.ts';
import { checkCommittedJob } from '../verify/check-committed-job.ts';
import {
  type AgentContext,
  committedResultOf,
  fetchJobTicket,
  peerOfAddress,
  retryTransient,
  whenSeedReady,
} from './context.ts';
import { RoleScope, type Startable } from './lifecycle.ts';
import { ensureVerifierStake } from './verifier-stake.ts';

export interface VerifierAgentInit {
  confidence: number;
  cheatFraction: number;
  /** Where a published dataset is materialized for a re-run (`<dataDir>/<jobId>`; default: under tmp). */
  dataDir?: string;
  /** Backends this node runs (its hardware descriptor's): a webgpu job's sampled segments are re-run on the first
   * of its verification class among them. Default cpu and wasm. */
  backends?: readonly RuntimeBackend[];
  /** TEST-ONLY fault injection: approve without re-running anything (what canaries catch). */
  lazy?: boolean;
  /** TEST-ONLY fault injection: ignore every job's first draw, as an offline verifier would (redraws are answered). */
  silentOnFirstDraw?: boolean;
}

/** How long one verification keeps retrying transient failures (the devnet's verify window is 60 s, the minimal
 * preset's 600 s; a verdict after the window still counts while nobody has redrawn). */
const VERIFY_RETRY_DEADLINE_MS = 120_000;

export class VerifierAgent implements Startable {
  readonly #done = new Set<bigint>();
  /** Jobs whose verification is in flight: a redraw to this node while it still retries must not start a second
   * re-run of the same segments (it would double the CPU load that made it late in the first place). */
  readonly #running = new Set<bigint>();
  readonly #scope: RoleScope;

  constructor(
    private readonly ctx: AgentContext,
    private readonly init: VerifierAgentInit,
  ) {
    this.#scope = new RoleScope('verifier', ctx.log);
  }

  /** Follows commitments and redraws; after a restart the watcher replays them to this role (each is re-read:
   * only a job still Committed and drawn to this key is verified). */
  async start(): Promise<void> {
    // Drawn only once staked (ComputeMarket's VerifierStakes).
    await ensureVerifierStake(this.ctx);
    const draw = (jobId: bigint, redraw: boolean) => {
      // A redraw (the first verifier stayed silent past the verify window) is a new draw: maybe this node's.
      if (redraw) this.#done.delete(jobId);
      else if (this.init.silentOnFirstDraw) return;
      if (this.#done.has(jobId) || this.#running.has(jobId)) return;
      this.#done.add(jobId);
      this.#running.add(jobId);
      const run = async () => {
        try {
          return await this.verify(jobId);
        } finally {
          this.#running.delete(jobId);
        }
      };
      void this.#scope.spawn('verification', run, { jobId: String(jobId) });
    };
    this.#scope.defer(
      this.ctx.watcher.on(
        {
          ResultCommitted: (e) => draw(e.args.jobId, false),
          VerifierRedrawn: (e) => {
            // A silence penalty may have left this node below the minimum stake, and then it is never drawn again:
            // top it up from what it holds (fees it earned), as at start.
            if (e.args.silentVerifier?.toLowerCase() === this.ctx.ledger.account().toLowerCase()) this.#topUpStake();
            draw(e.args.jobId, true);
          },
        },
        { replayFrom: 0n },
      ),
    );
  }

  async stop(): Promise<void> {
    await this.#scope.close();
  }

  #topUpStake(): void {
    void this.#scope.spawn('verifier stake top-up', async () => {
      try {
        await ensureVerifierStake(this.ctx);
      } catch (error) {
        this.ctx.log.warn(
          { err: isAicError(error) ? error.toLine() : String(error) },
          'verifier stake below the minimum and not topped up: this node is not drawn until it holds enough AIC',
        );
      }
    });
  }

  /** Verifies `jobId` if this node is its designated verifier; resolves to the verdict, or undefined when not ours. */
  async verify(jobId: bigint): Promise<boolean | undefined> {
    const signal = this.#scope.signal;
    return await retryTransient(this.ctx, 'verification', () => this.#verifyOnce(jobId, signal), {
      jobId,
      signal,
      attempts: Number.POSITIVE_INFINITY,
      deadlineMs: VERIFY_RETRY_DEADLINE_MS,
      baseMs: 1_000,
    });
  }

  async #verifyOnce(jobId: bigint, signal: AbortSignal): Promise<boolean | undefined> {
    const { ledger, net, log } = this.ctx;
    const designated = await whenSeedReady(() => ledger.market.read.designatedVerifier([jobId]), signal);
    if (designated.toLowerCase() !== ledger.account().toLowerCase()) return undefined;
    const job = await ledger.market.read.jobOf([jobId]);
    if (jobStateName(job.state) !== 'Committed') return undefined;
    // Its own jobs are the coordinator's canaries: it knows their answer and gives that verdict itself.
    if (job.requester.toLowerCase() === ledger.account().toLowerCase()) return undefined;
    let valid = true;
    let detail: Record<string, unknown> = { lazy: true };
    if (!this.init.lazy) {
      const fetched = await fetchJobTicket(
        this.ctx,
        { jobId, requester: job.requester },
        { signal, deadlineMs: 60_000 },
      );
      const { ticket, requester } = fetched;
      const { checkpointRoot, provider } = await committedResultOf(ledger, jobId);
      const commitments = fetched.commitments;
      const segments = job.checkpointCount;
      if (commitments.length !== segments + 1 || commitmentRoot(commitments) !== checkpointRoot) {
        valid = false;
        detail = { reason: 'reported commitments do not match the committed root' };
      } else {
        const seed = await ledger.market.read.assignmentSeed([jobId]);
        const { samples, pDetect } = quoteVerification({
          segments,
          confidence: this.init.confidence,
          cheatFraction: this.init.cheatFraction,
        });
        const dir = this.init.dataDir
          ? join(this.init.dataDir, String(jobId))
          : defaultJobDataDir(ledger.account(), jobId);
        const data = await loadTicketDataset(
          { ledger, assets: this.ctx.assets, job, jobId, dir, signal, log: this.ctx.log },
          ticket,
        ).finally(() => removeJobData(dir));
        const verdict = await checkCommittedJob({
          spec: ticket.spec,
          data,
          commitments,
          seed,
          jobKey: jobSampleKey(jobId),
          samples,
          commitmentRoot: checkpointRoot,
          ...(this.init.backends ? { backends: this.init.backends } : {}),
          loadCheckpoint: (i) =>
            retryTransient(
              this.ctx,
              'checkpoint fetch',
              async () => {
                try {
                  return await fetchCheckpoint(net, requester, jobId, i, signal);
                } catch (error) {
                  // The requester's mirror may still be catching up (it restarted), or fail to load one it holds:
                  // the provider has it too.
                  if (!isAicError(error, 'CHECKPOINT_NOT_FOUND') && !isAicError(error, 'CHECKPOINT_FETCH_FAILED')) {
                    throw error;
                  }
                  return await fetchCheckpoint(net, await peerOfAddress(this.ctx, provider, signal), jobId, i, signal);
                }
              },
              { jobId, signal, attempts: 6 },
            ),
          signal,
        });
        valid = verdict.valid;
        detail = { sampled: verdict.checked.length, of: segments, pDetect, mismatches: verdict.mismatches };
      }
    }
    await this.ctx.send(() => ledger.confirm('submitVerdict', () => ledger.market.write.submitVerdict([jobId, valid])));
    log.info({ jobId: String(jobId), valid, ...detail }, 'verdict submitted');
    return valid;
  }
}
