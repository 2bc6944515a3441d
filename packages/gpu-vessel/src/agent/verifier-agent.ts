import { jobStateName } from '@aic/ledger';
import { commitmentRoot } from '@aic/model-vessel';
import { quoteVerification } from '@aic/verification';
import { fetchCheckpoint } from '../jobs/checkpoint-transfer.ts';
import { loadDatasetSource } from '../jobs/dataset-source.ts';
import { jobSampleKey } from '../jobs/job-key.ts';
import { decodeJobTicket } from '../jobs/job-ticket.ts';
import { jobTicketFetchProtocol } from '../jobs/protocols.ts';
import { checkCommittedJob } from '../verify/check-committed-job.ts';
import {
  type AgentContext,
  committedResultOf,
  errorLine,
  peerOfAddress,
  specHashOf,
  whenSeedReady,
  withRetries,
} from './context.ts';

export interface VerifierAgentInit {
  confidence: number;
  cheatFraction: number;
  /** TEST-ONLY fault injection: approve without re-running anything (what canaries catch). */
  lazy?: boolean;
  /** TEST-ONLY fault injection: ignore every job's first draw, as an offline verifier would (redraws are answered). */
  silentOnFirstDraw?: boolean;
}

export class VerifierAgent {
  readonly #done = new Set<bigint>();

  constructor(
    private readonly ctx: AgentContext,
    private readonly init: VerifierAgentInit,
  ) {}

  start(): void {
    this.ctx.watcher.on((event) => {
      const { jobId } = event.args as { jobId: bigint };
      // A redraw (the first verifier stayed silent past the verify window) is a new draw: maybe this node's.
      if (event.eventName === 'VerifierRedrawn') this.#done.delete(jobId);
      else if (event.eventName !== 'ResultCommitted' || this.init.silentOnFirstDraw) return;
      if (this.#done.has(jobId)) return;
      this.#done.add(jobId);
      void this.verify(jobId).catch((error: unknown) => {
        if (!this.ctx.signal.aborted) {
          this.ctx.log.error({ jobId: String(jobId), err: errorLine(error) }, 'verification failed');
        }
      });
    });
  }

  /** Verifies `jobId` if this node is its designated verifier; resolves to the verdict, or undefined when not ours. */
  async verify(jobId: bigint): Promise<boolean | undefined> {
    const { ledger, net, log } = this.ctx;
    const designated = await whenSeedReady(this.ctx, () => ledger.market.read.designatedVerifier([jobId]));
    if (designated.toLowerCase() !== ledger.account().toLowerCase()) return undefined;
    const job = await ledger.market.read.jobOf([jobId]);
    if (jobStateName(job.state) !== 'Committed') return undefined;
    // Its own jobs are the coordinator's canaries: it knows their answer and gives that verdict itself.
    if (job.requester.toLowerCase() === ledger.account().toLowerCase()) return undefined;
    let valid = true;
    let detail: Record<string, unknown> = { lazy: true };
    if (!this.init.lazy) {
      const requester = await peerOfAddress(this.ctx, job.requester);
      const fetched = await withRetries(this.ctx, () =>
        net.request(requester, jobTicketFetchProtocol, { jobId: String(jobId) }),
      );
      const ticket = decodeJobTicket(fetched.ticket, await specHashOf(ledger, jobId));
      const { checkpointRoot } = await committedResultOf(ledger, jobId);
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
        const verdict = await checkCommittedJob({
          spec: ticket.spec,
          data: await loadDatasetSource(ticket.dataset),
          commitments,
          seed,
          jobKey: jobSampleKey(jobId),
          samples,
          commitmentRoot: checkpointRoot,
          loadCheckpoint: (i) =>
            withRetries(this.ctx, () => fetchCheckpoint(net, requester, jobId, i, this.ctx.signal)),
          signal: this.ctx.signal,
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
