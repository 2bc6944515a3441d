/**
 * The coordinator's canary half: when it issues a canary (known wrong answer), how it tells its canaries from other
 * jobs, takes a canary itself and hears the verifiers on it. The placement half (coordinator-agent.ts) hands a job
 * here once it is known to be a canary.
 */
import { pause } from '@aic/core';
import type { MarketEventOf } from '../chain/market-watcher.ts';
import type { CanaryIssuer } from './canary.ts';
import { nextCanaryDelayMs } from './canary-terms.ts';
import type { AgentContext } from './context.ts';
import { redrawIfDue, shortlistOf } from './coordinator-shortlist.ts';
import type { RoleScope } from './lifecycle.ts';

/** How long a job escrowed by a canary payer waits for the issuer to learn its id (the escrow tx to return). */
const CANARY_ID_WAIT_MS = 10_000;

export class CoordinatorCanaries {
  constructor(
    private readonly ctx: AgentContext,
    private readonly scope: RoleScope,
    private readonly issuer: CanaryIssuer,
    /** The mean wait between canaries. */
    private readonly meanMs: number,
  ) {}

  /** Verifiers caught passing a canary. */
  lazyVerifiers(): string[] {
    return this.issuer.lazyVerifiers();
  }

  isCanary(jobId: bigint): boolean {
    return this.issuer.isCanary(jobId);
  }

  /** Issues canaries while the role runs, one at a time. */
  schedule(): void {
    // A Poisson schedule: the wait after a canary is exponential, so its timing tells a verifier nothing.
    const meanMs = this.meanMs;
    let nextAt = Date.now() + nextCanaryDelayMs(meanMs, Math.random());
    this.scope.every(Math.min(1_000, meanMs), () => {
      if (this.issuer.inFlight || Date.now() < nextAt) return;
      nextAt = Date.now() + nextCanaryDelayMs(meanMs, Math.random());
      void this.scope.spawn('canary issue', async () => {
        await this.issuer.issue().catch((error: unknown) => {
          this.issuer.abandon();
          throw error;
        });
      });
    });
  }

  /** A verifier's verdict on one of this coordinator's canaries (others' verdicts are ignored). */
  onVerdict(event: MarketEventOf<'VerdictSubmitted'>): void {
    const { jobId, verifier, valid } = event.args;
    if (!this.issuer.isCanary(jobId)) return;
    void this.scope.spawn('canary verdict', async () => {
      await this.issuer.onVerdict(jobId, verifier, valid).catch((error: unknown) => {
        this.issuer.abandon();
        throw error;
      });
    });
  }

  /** A canary's outcome is final: what its payer was credited (refund, the slashed stake) comes back to the budget. */
  sweep(jobId: bigint): void {
    if (!this.issuer.isCanary(jobId)) return;
    void this.scope.spawn('canary sweep', () => this.issuer.sweep(jobId), { jobId: String(jobId) });
  }

  /**
   * Whether a job being placed is one of this coordinator's canaries. One escrowed by a canary payer may be, before
   * the issuer learns its id when the escrow transaction returns: it waits for that (bounded). 'aborted': the role
   * stopped meanwhile.
   */
  async classify(jobId: bigint, requester: string): Promise<'canary' | 'other' | 'aborted'> {
    if (!this.issuer.isCanaryPayer(requester)) return 'other';
    const until = Date.now() + CANARY_ID_WAIT_MS;
    while (!this.issuer.isCanary(jobId) && Date.now() < until) {
      if (!(await pause(100, this.scope.signal))) return 'aborted';
    }
    return this.issuer.isCanary(jobId) ? 'canary' : 'other';
  }

  /**
   * A canary goes to the coordinator itself (a staked provider), which commits its known-wrong answer — only while
   * the coordinator is on the canary's seeded shortlist, as for any job; otherwise it waits for the window to pass
   * and redraws (the retry tick comes back). True once assigned to itself.
   */
  async assignToSelf(jobId: bigint): Promise<boolean> {
    const { ledger } = this.ctx;
    const job = await ledger.market.read.jobOf([jobId]);
    if (!(await shortlistOf(this.ctx, jobId)).has(ledger.account().toLowerCase())) {
      await redrawIfDue(this.ctx, jobId, job.challengeEnds);
      return false;
    }
    await this.ctx.send(() =>
      ledger.confirm('assignJob', () => ledger.market.write.assignJob([jobId, ledger.account()])),
    );
    return true;
  }

  /** Trains the canary assigned to itself and commits its known-wrong answer. */
  async run(jobId: bigint): Promise<void> {
    await this.issuer.run(jobId);
  }

  /** A disputed canary is ruled by its issuer. */
  async arbitrate(jobId: bigint): Promise<void> {
    await this.issuer.arbitrate(jobId);
  }
}
