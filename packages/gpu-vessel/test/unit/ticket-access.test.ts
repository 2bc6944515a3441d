/**
 * The requester's ticket server serves a job's ticket and checkpoints by the chain's rules (issue 15), never by a
 * role: the job's provider, staked verifiers and providers staked for the job's class; everyone else is refused.
 */
import { describe, expect, it } from 'vitest';
import type { AgentContext } from '../../src/agent/context.ts';
import type { RoleScope } from '../../src/agent/lifecycle.ts';
import { RequesterJobServer } from '../../src/agent/requester/job-server.ts';
import type { JobStore } from '../../src/agent/requester/job-store.ts';

const PROVIDER = '0x00000000000000000000000000000000000000a1';
const VERIFIER = '0x00000000000000000000000000000000000000b2';
const UNBONDING = '0x00000000000000000000000000000000000000b3';
const OTHER_PROVIDER = '0x00000000000000000000000000000000000000c4';
const UNDERSTAKED = '0x00000000000000000000000000000000000000c5';
const CPU_ONLY = '0x00000000000000000000000000000000000000c6';
const ANYONE = '0x00000000000000000000000000000000000000d7';

const MIN_STAKE = 100n;
const verifiers: Record<string, { registered: boolean; stake: bigint; exitAt: number }> = {
  [VERIFIER]: { registered: true, stake: MIN_STAKE, exitAt: 0 },
  [UNBONDING]: { registered: true, stake: MIN_STAKE, exitAt: 99 },
};
const providers: Record<string, { registered: boolean; stake: bigint; hwClass: number }> = {
  [OTHER_PROVIDER]: { registered: true, stake: 500n, hwClass: 2 },
  [UNDERSTAKED]: { registered: true, stake: 10n, hwClass: 2 },
  [CPU_ONLY]: { registered: true, stake: 500n, hwClass: 0 },
};

function server(): RequesterJobServer {
  const read = {
    jobOf: async () => ({ provider: PROVIDER, minHwClass: 1 }),
    verifierOf: async ([a]: [string]) => verifiers[a] ?? { registered: false, stake: 0n, exitAt: 0 },
    verifierTerms: async () => ({ minStake: MIN_STAKE }),
    providerOf: async ([a]: [string]) => providers[a] ?? { registered: false, stake: 0n, hwClass: 0 },
    minStakeOf: async () => 500n,
    hasRole: async () => true, // a role would let everyone in: the server must not ask
  };
  const ctx = { ledger: { market: { read } } } as unknown as AgentContext;
  const events = { emit: () => {}, onRetry: () => {} };
  return new RequesterJobServer(ctx, {} as JobStore, {} as RoleScope, events);
}

describe('ticket access by the chain rules', () => {
  it.each([
    ['the assigned provider', PROVIDER],
    ['a staked verifier', VERIFIER],
    ['a provider staked for the job class', OTHER_PROVIDER],
  ])('serves %s', async (_, who) => {
    await expect(server().authorize(1n, who as `0x${string}`)).resolves.toBeUndefined();
  });

  it.each([
    ['an unbonding verifier', UNBONDING],
    ['a provider below its minimum stake', UNDERSTAKED],
    ['a provider of a lower class than the job', CPU_ONLY],
    ['an account that only holds a role', ANYONE],
  ])('refuses %s', async (_, who) => {
    await expect(server().authorize(1n, who as `0x${string}`)).rejects.toMatchObject({ code: 'JOB_ACCESS_DENIED' });
  });
});
