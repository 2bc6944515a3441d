/**
 * Issue 18's soak (10 % of RPC requests failing): the requester's verify-window watch and its settlement poll the chain
 * until the job moves on, so a bounded count of failed reads ran out while they waited — the watch stopped after 20
 * and left a Committed job with nobody to redraw its silent verifier. Both now retry every transient failure for as
 * long as the job waits in their state.
 */
import { JobState } from '@aic/ledger';
import { describe, expect, it } from 'vitest';
import type { AgentContext } from '../../src/agent/context.ts';
import type { JobRecord } from '../../src/agent/job-record.ts';
import { RoleScope } from '../../src/agent/lifecycle.ts';
import { RequesterSettlement } from '../../src/agent/requester/settlement.ts';

const ME = '0x00000000000000000000000000000000000000aa';
const PROVIDER = '0x00000000000000000000000000000000000000bb';

function world(failedReads: number, state: number) {
  const errors: string[] = [];
  const log = { info: () => undefined, warn: () => undefined, error: (_o: object, msg: string) => errors.push(msg) };
  const job = { state, provider: PROVIDER, requester: ME, challengeEnds: 10 };
  const count = { reads: 0, redraws: 0, settles: 0 };
  const ledger = {
    account: () => ME,
    market: {
      read: {
        jobOf: async () => {
          count.reads++;
          if (count.reads <= failedReads) throw new TypeError('fetch failed');
          return { ...job };
        },
      },
      write: {
        redrawVerifier: async () => {
          count.redraws++;
          job.state = JobState.Verifying;
          return '0x';
        },
        settleJob: async () => {
          count.settles++;
          job.state = JobState.Settled;
          return '0x';
        },
      },
    },
    publicClient: { getBlock: async () => ({ timestamp: 20n }) },
    confirm: async (_what: string, send: () => Promise<unknown>) => await send(),
  };
  const ctx = { ledger, log, send: <T>(task: () => Promise<T>) => task() } as unknown as AgentContext;
  const scope = new RoleScope('requester', log);
  const settlement = new RequesterSettlement(ctx, scope, { emit: () => undefined, onRetry: () => undefined }, 1);
  // step 'minted': the result step after settlement has nothing to do here
  const record = { jobId: 1n, state: { step: 'minted', redraws: 0 }, update: async () => undefined };
  return { settlement, scope, count, errors, job, record: record as unknown as JobRecord };
}

async function until(done: () => boolean, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!done() && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 5));
}

describe('requester watches under RPC failures', () => {
  it('redraws a silent verifier after more failed reads than the old 20 tries', async () => {
    const w = world(30, JobState.Committed);
    try {
      w.settlement.redrawWhenSilent(w.record);
      await until(() => w.count.redraws > 0);
      expect(w.count.redraws).toBe(1);
      expect(w.errors).toEqual([]);
    } finally {
      await w.scope.close();
    }
  }, 30_000);

  it('settles after more failed reads than the old 10 tries', async () => {
    const w = world(20, JobState.Verifying);
    try {
      w.settlement.settleWhenWindowCloses(w.record);
      await until(() => w.count.settles > 0);
      expect(w.count.settles).toBe(1);
      expect(w.errors).toEqual([]);
    } finally {
      await w.scope.close();
    }
  }, 30_000);
});
