/**
 * The requester's reactions to the chain: for this node's jobs, a commitment or a redraw starts the verify-window
 * watch, a passing verdict or a dispute the provider won starts settlement, a settlement the result and the mint.
 * After a restart it does not replay the chain: the market watcher goes on from the last block it processed, and the
 * reactor resumes each recorded job from the chain's current state and the job's persisted step.
 */
import { jobStateName } from '@aic/ledger';
import type { MarketEvent, MarketHandlers } from '../../chain/market-watcher.ts';
import type { AgentContext, RetryCounter } from '../context.ts';
import { retryTransient } from '../context.ts';
import type { JobRecord } from '../job-record.ts';
import type { RoleScope } from '../lifecycle.ts';
import type { RequesterJobServer } from './job-server.ts';
import type { JobStore } from './job-store.ts';
import type { RequesterSettlement } from './settlement.ts';

export class RequesterChainReactor {
  constructor(
    private readonly ctx: AgentContext,
    private readonly store: JobStore,
    private readonly scope: RoleScope,
    private readonly settlement: RequesterSettlement,
    private readonly server: RequesterJobServer,
    private readonly events: { emit(jobId: bigint, what: string): void; onRetry: RetryCounter },
  ) {}

  async start(): Promise<void> {
    const mine = async (event: MarketEvent): Promise<JobRecord | undefined> => {
      const record = 'jobId' in event.args ? await this.store.get(event.args.jobId) : undefined;
      if (!record) return undefined;
      record.state.lastProgressAtMs = Date.now();
      this.events.emit(record.jobId, event.eventName);
      return record;
    };
    const watchWindow = async (event: MarketEvent) => {
      const record = await mine(event);
      if (record) this.settlement.redrawWhenSilent(record);
    };
    const sweepAfter = async (event: MarketEvent) => {
      const record = await mine(event);
      if (record) this.settlement.sweepPayer(record);
    };
    const handlers: MarketHandlers = {
      JobAssigned: mine,
      JobReassigned: mine,
      JobStarted: mine,
      JobPreempted: mine,
      ResultCommitted: watchWindow,
      VerifierRedrawn: async (event) => {
        const record = await mine(event);
        if (!record) return;
        await record.update({ redraws: record.state.redraws + 1 });
        this.settlement.redrawWhenSilent(record);
      },
      VerdictSubmitted: async (event) => {
        const record = await mine(event);
        if (record && event.args.valid) this.settlement.settleWhenWindowCloses(record);
      },
      JobDisputed: mine,
      DisputeResolved: async (event) => {
        const record = await mine(event);
        if (record && !event.args.providerCheated) this.settlement.settleWhenWindowCloses(record);
      },
      JobSettled: async (event) => {
        const record = await mine(event);
        if (!record) return;
        if (record.state.step === 'escrowed') await record.update({ step: 'settled' });
        void this.settlement.finish(record);
        this.settlement.sweepPayer(record);
      },
      ProviderSlashed: mine,
      // Final for the payer: an expired job is refunded to it first, then (as after a slash) swept back.
      JobExpired: sweepAfter,
      JobRefunded: sweepAfter,
    };
    this.scope.defer(this.ctx.watcher.on(handlers));
    // Open jobs from before a restart: go on from what the chain says now (in the background: start stays quick).
    void this.scope.spawn('resume', () => this.#resumeAll());
  }

  async #resumeAll(): Promise<void> {
    for (const record of await this.store.all()) {
      if (this.scope.stopped) return;
      if (record.state.step === 'minted') {
        this.settlement.sweepPayer(record); // nothing to do unless its payer still holds something
        continue;
      }
      const job = await retryTransient(this.ctx, 'job read', () => this.ctx.ledger.market.read.jobOf([record.jobId]), {
        jobId: record.jobId,
        signal: this.scope.signal,
        onRetry: this.events.onRetry,
      });
      const state = jobStateName(job.state);
      if (['Running', 'Committed', 'Verifying', 'Disputed', 'Settled'].includes(state)) {
        void this.scope.spawn('mirror catch-up', () => this.server.catchUpMirror(record, job.provider), {
          jobId: String(record.jobId),
        });
      }
      if (state === 'Committed') this.settlement.redrawWhenSilent(record);
      if (state === 'Verifying') this.settlement.settleWhenWindowCloses(record);
      if (state === 'Settled') void this.settlement.finish(record);
      if (['Settled', 'Slashed', 'Refunded', 'Expired'].includes(state)) this.settlement.sweepPayer(record);
    }
  }
}
