/**
 * The requester preempts a silent provider of its own job (issue 15: no ALLOCATOR key), where the market lets it:
 * on a role-gated market the dry run is refused and it leaves the job alone (no segment re-run, no transaction).
 */
import { computeMarketAbi, JobState } from '@aic/ledger';
import { ContractFunctionRevertedError, encodeErrorResult } from 'viem';
import { describe, expect, it } from 'vitest';
import type { AgentContext } from '../../src/agent/context.ts';
import { RoleScope } from '../../src/agent/lifecycle.ts';
import type { JobStore } from '../../src/agent/requester/job-store.ts';
import { ProviderLiveness } from '../../src/agent/requester/provider-liveness.ts';

const PROVIDER = '0x00000000000000000000000000000000000000a1';
const ME = '0x00000000000000000000000000000000000000e1';

function world(refuse: boolean) {
  const lines: string[] = [];
  const log = {
    info: (_: object, m: string) => lines.push(m),
    warn: (_: object, m: string) => lines.push(m),
    error: (_: object, m: string) => lines.push(m),
  };
  const handlers: Record<string, (e: unknown) => unknown> = {};
  const preempts: unknown[] = [];
  const ctx = {
    log,
    net: { getPeers: () => [] },
    watcher: {
      on: (h: Record<string, (e: unknown) => unknown>) => {
        Object.assign(handlers, h);
        return () => {};
      },
    },
    send: <T>(task: () => Promise<T>) => task(),
    ledger: {
      account: () => ME,
      confirm: async (_: string, send: () => Promise<unknown>) => await send(),
      publicClient: {
        simulateContract: async () => {
          if (!refuse) return {};
          const data = encodeErrorResult({
            abi: computeMarketAbi,
            errorName: 'AccessControlUnauthorizedAccount',
            args: [ME, `0x${'11'.repeat(32)}`],
          });
          throw new ContractFunctionRevertedError({ abi: computeMarketAbi, data, functionName: 'preemptJob' });
        },
      },
      market: {
        address: '0x00000000000000000000000000000000000000c0',
        abi: computeMarketAbi,
        read: {
          jobOf: async () => ({ state: JobState.Running, resumeFrom: 0, checkpointCount: 4, provider: PROVIDER }),
        },
        write: { preemptJob: async (args: unknown) => void preempts.push(args) },
      },
    },
  } as unknown as AgentContext;
  const store = { get: async () => ({ jobId: 7n, mirroredIndices: async () => [] }) } as unknown as JobStore;
  const scope = new RoleScope('requester', log);
  const liveness = new ProviderLiveness(ctx, store, scope, 50);
  liveness.start();
  return { lines, handlers, preempts, scope };
}

async function until(done: () => boolean): Promise<void> {
  const deadline = Date.now() + 10_000;
  while (!done()) {
    if (Date.now() > deadline) throw new Error('condition not reached');
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

describe('the requester preempts a silent provider of its job', () => {
  it('at the checkpoints it verified (none mirrored: where the job resumed), with no role', async () => {
    const w = world(false);
    await w.handlers.JobAssigned!({ args: { jobId: 7n, provider: PROVIDER } });
    await until(() => w.lines.includes('job preempted'));
    expect(w.preempts).toEqual([[7n, 0]]);
    await w.scope.close();
  });

  it('never preempts a job this node runs itself (a coordinator canary is not among its own peers)', async () => {
    const w = world(false);
    await w.handlers.JobAssigned!({ args: { jobId: 7n, provider: ME } });
    await w.handlers.JobAssigned!({ args: { jobId: 8n, provider: PROVIDER } });
    await until(() => w.lines.includes('job preempted'));
    expect(w.preempts).toEqual([[8n, 0]]);
    await w.scope.close();
  });

  it('leaves the job to the role holder where the market reserves preemption to a role', async () => {
    const w = world(true);
    await w.handlers.JobAssigned!({ args: { jobId: 7n, provider: PROVIDER } });
    await until(() => w.lines.some((l) => l.startsWith('preemption is reserved to a role')));
    await new Promise((resolve) => setTimeout(resolve, 1_200)); // one more tick: it does not try again
    expect(w.preempts).toEqual([]);
    expect(w.lines.filter((l) => l.startsWith('preemption is reserved')).length).toBe(1);
    await w.scope.close();
  });
});
