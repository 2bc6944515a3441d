/**
 * A transient error inside a role is logged and retried, never an unhandled rejection that ends the node: the
 * coordinator once exited with code 1 after RPC `fetch failed` errors. Here its offer handler reads the chain while
 * the RPC fails; and which errors the roles retry (`isTransient`) versus take as a final answer.
 */
import { AicError } from '@aic/core';
import { describe, expect, it } from 'vitest';
import { type AgentContext, isTransient } from '../../src/agent/context.ts';
import { CoordinatorAgent } from '../../src/agent/coordinator-agent.ts';
import type { MarketWatcher } from '../../src/chain/market-watcher.ts';

function recordingLog() {
  const lines: { level: string; msg: string; obj: object }[] = [];
  const at = (level: string) => (obj: object, msg: string) => void lines.push({ level, msg, obj });
  return { log: { info: at('info'), warn: at('warn'), error: at('error') }, lines };
}

describe('transient errors inside a role', () => {
  it('an offer read that fails with fetch failed is logged, not an unhandled rejection', async () => {
    const { log, lines } = recordingLog();
    const net = Object.assign(new EventTarget(), { getPeers: () => [] });
    const watcher: MarketWatcher = {
      on: () => () => undefined,
      start: async () => undefined,
      stop: async () => undefined,
    };
    const fetchFailed = new TypeError('fetch failed');
    let reads = 0;
    const ledger = {
      account: () => '0x00000000000000000000000000000000000000aa',
      market: {
        read: {
          providerOf: async () => {
            reads++;
            throw fetchFailed;
          },
        },
      },
    };
    const ctx = { net, ledger, watcher, log, send: (t: () => Promise<unknown>) => t() } as unknown as AgentContext;
    const unhandled: unknown[] = [];
    const onUnhandled = (reason: unknown) => void unhandled.push(reason);
    process.on('unhandledRejection', onUnhandled);
    const coordinator = new CoordinatorAgent(ctx, {
      confidence: 0.99,
      cheatFraction: 0.1,
      challenge: async () => ({ passed: true, reason: 'ok' }),
    });
    await coordinator.start();
    try {
      const detail = { sender: '0x00000000000000000000000000000000000000bb', payload: {}, relayedBy: 'peer' };
      net.dispatchEvent(new CustomEvent('offer', { detail }));
      const deadline = Date.now() + 5_000;
      while (!lines.some((l) => l.msg.includes('offer failed')) && Date.now() < deadline) {
        await new Promise((r) => setImmediate(r));
      }
      expect(reads).toBe(1);
      expect(lines.find((l) => l.msg.includes('offer failed'))?.obj).toMatchObject({ err: 'fetch failed' });
      expect(unhandled).toEqual([]);
    } finally {
      await coordinator.stop();
      process.off('unhandledRejection', onUnhandled);
    }
  });

  it('tells transient failures from final answers', () => {
    expect(isTransient(new TypeError('fetch failed'))).toBe(true);
    expect(isTransient(new AicError('CHECKPOINT_FETCH_FAILED', 'Unexpected EOF'))).toBe(true);
    expect(isTransient(new AicError('NETWORK_REQUEST_TIMEOUT', 'took too long'))).toBe(true);
    expect(isTransient(new AicError('JOB_PEER_UNREACHABLE', 'no connected peer'))).toBe(true);
    expect(isTransient(new AicError('LEDGER_REVERTED', 'settleJob reverted'))).toBe(false);
    expect(isTransient(new AicError('CHECKPOINT_ACCESS_DENIED', 'refused'))).toBe(false);
    expect(isTransient(new AicError('ABORTED', 'stopped'))).toBe(false);
    const revert = Object.assign(new Error('reverted'), { name: 'ContractFunctionRevertedError' });
    expect(isTransient(new Error('call failed', { cause: revert }))).toBe(false);
  });

  // Issue 18's soak: the requester's ticket handler reads the chain (`jobOf`, `hasRole`) to authorize the caller; at
  // 10 % failed RPC requests that read failed in ~1 fetch in 10 and the caller got NETWORK_REMOTE_ERROR (remote code
  // INTERNAL), which was taken as a final answer: each one cost a provider one of its 4 lasting attempts (jobs left
  // Assigned, or trained and never committed) and a verifier its whole verification (a redraw).
  it("takes a peer's own transient failure as transient, and its refusals as final", () => {
    const remote = (code: string) =>
      new AicError('NETWORK_REMOTE_ERROR', 'remote failed', { details: { code, protocol: '/aic/job/ticket/1' } });
    expect(isTransient(remote('INTERNAL'))).toBe(true);
    expect(isTransient(remote('LEDGER_CALL_FAILED'))).toBe(true);
    expect(isTransient(remote('NETWORK_REQUEST_TIMEOUT'))).toBe(true);
    expect(isTransient(remote('CHECKPOINT_FETCH_FAILED'))).toBe(true);
    expect(isTransient(remote('JOB_ACCESS_DENIED'))).toBe(false);
    expect(isTransient(remote('JOB_NOT_FOUND'))).toBe(false);
    expect(isTransient(remote('JOB_NOT_ASSIGNED'))).toBe(false);
    expect(isTransient(remote('LEDGER_REVERTED'))).toBe(false);
    expect(isTransient(new AicError('NETWORK_REMOTE_ERROR', 'no code'))).toBe(false);
  });
});
