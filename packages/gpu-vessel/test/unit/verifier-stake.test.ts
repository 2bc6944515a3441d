/**
 * A `--verifier` node stakes before it can be drawn: at start it registers with the contract's minimum, tops a
 * stake left below it (a slash or a silence penalty) back up, and sends nothing when already staked or unbonding.
 */
import { describe, expect, it } from 'vitest';
import type { AgentContext } from '../../src/agent/context.ts';
import { ensureVerifierStake } from '../../src/agent/verifier-stake.ts';

const MIN = 100n;

function ctxWith(record: { registered: boolean; stake: bigint; exitAt: number }) {
  const calls: Array<[string, bigint]> = [];
  const warnings: string[] = [];
  const ledger = {
    account: () => '0x00000000000000000000000000000000000000aa',
    signPermit: async () => ({ value: 0n }),
    confirm: async (_name: string, write: () => Promise<unknown>) => await write(),
    market: {
      address: '0x00000000000000000000000000000000000000ee',
      read: { verifierTerms: async () => ({ minStake: MIN }), verifierOf: async () => record },
      write: {
        registerVerifier: async ([amount]: [bigint]) => void calls.push(['registerVerifier', amount]),
        addVerifierStake: async ([amount]: [bigint]) => void calls.push(['addVerifierStake', amount]),
      },
    },
  };
  const log = {
    info: () => undefined,
    warn: (_o: unknown, m: string) => void warnings.push(m),
    error: () => undefined,
  };
  const ctx = { ledger, log, send: (t: () => Promise<unknown>) => t() } as unknown as AgentContext;
  return { ctx, calls, warnings };
}

describe('verifier stake at start', () => {
  it('registers with the minimum when it never staked', async () => {
    const h = ctxWith({ registered: false, stake: 0n, exitAt: 0 });
    expect(await ensureVerifierStake(h.ctx)).toBe(MIN);
    expect(h.calls).toEqual([['registerVerifier', MIN]]);
  });

  it('tops a stake below the minimum back up', async () => {
    const h = ctxWith({ registered: true, stake: 50n, exitAt: 0 });
    expect(await ensureVerifierStake(h.ctx)).toBe(MIN);
    expect(h.calls).toEqual([['addVerifierStake', 50n]]);
  });

  it('sends nothing when staked, and only warns while unbonding', async () => {
    const staked = ctxWith({ registered: true, stake: 150n, exitAt: 0 });
    expect(await ensureVerifierStake(staked.ctx)).toBe(150n);
    expect(staked.calls).toEqual([]);
    const leaving = ctxWith({ registered: true, stake: 50n, exitAt: 1_000 });
    await ensureVerifierStake(leaving.ctx);
    expect(leaving.calls).toEqual([]);
    expect(leaving.warnings.length).toBe(1);
  });
});
