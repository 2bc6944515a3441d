/**
 * The job roles' one lifecycle: a role whose start() throws leaves no timer, protocol handler, watcher subscription
 * or event listener behind; stop() clears what start() set up and waits (bounded) for work in flight; startAll
 * stops the roles already started, in reverse order, when a later one fails.
 */
import { AicError } from '@aic/core';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { AgentContext } from '../../src/agent/context.ts';
import { CoordinatorAgent } from '../../src/agent/coordinator-agent.ts';
import { RoleScope, type Startable, startAll } from '../../src/agent/lifecycle.ts';
import { ProviderAgent } from '../../src/agent/provider-agent.ts';
import { RequesterAgent } from '../../src/agent/requester/requester-agent.ts';
import { VerifierAgent } from '../../src/agent/verifier-agent.ts';
import type { MarketWatcher } from '../../src/chain/market-watcher.ts';

const ME = '0x00000000000000000000000000000000000000aa';
const silent = { info: () => undefined, warn: () => undefined, error: () => undefined };

/** A context whose network, watcher and ledger count what is registered on them. */
function countingContext(o: { failHandle?: string; providerOf?: () => Promise<unknown> } = {}) {
  const handlers = new Set<string>();
  const listeners = new Set<unknown>();
  let subscriptions = 0;
  const net = {
    handle: async (protocol: { id: string }) => {
      if (protocol.id === o.failHandle) throw new AicError('NETWORK_PROTOCOL_TAKEN', 'taken');
      handlers.add(protocol.id);
    },
    unhandle: async (id: string) => void handlers.delete(id),
    addEventListener: (_: string, l: unknown) => void listeners.add(l),
    removeEventListener: (_: string, l: unknown) => void listeners.delete(l),
    publishOffer: async () => 1,
    getPeers: () => [],
  };
  const watcher: MarketWatcher = {
    on: () => {
      subscriptions++;
      return () => void subscriptions--;
    },
    start: async () => undefined,
    stop: async () => undefined,
  };
  const ledger = {
    account: () => ME,
    market: {
      read: {
        providerOf: o.providerOf ?? (async () => ({ registered: true })),
        // A verifier already staked at the minimum: starting stakes nothing more.
        verifierTerms: async () => ({ minStake: 1n }),
        verifierOf: async () => ({ registered: true, stake: 1n, exitAt: 0 }),
      },
    },
  };
  const ctx = {
    net,
    ledger,
    watcher,
    log: silent,
    send: (t: () => Promise<unknown>) => t(),
  } as unknown as AgentContext;
  return { ctx, handlers, listeners, subscriptions: () => subscriptions };
}

const providerInit = {
  root: '/nonexistent',
  hwClass: 0,
  stakeWei: 1n,
  priceWeiPerHour: 1n,
  offer: { hardware: { backends: ['cpu', 'wasm'] } } as never,
  republishMs: 1_000,
};
const neverTrains = async () => {
  throw new Error('not in this test');
};

describe('job role lifecycle', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('a requester whose start() fails at its second protocol leaves no handler, subscription or timer', async () => {
    vi.useFakeTimers();
    const c = countingContext({ failHandle: '/aic/job-progress/1.0.0' });
    const requester = new RequesterAgent(c.ctx, '/nonexistent/jobs');
    await expect(requester.start()).rejects.toThrow('taken');
    expect([...c.handlers]).toEqual([]);
    expect(c.subscriptions()).toBe(0);
    expect(vi.getTimerCount()).toBe(0);
  });

  it('a provider whose registration is refused leaves no offer timer or subscription', async () => {
    vi.useFakeTimers();
    const refused = new AicError('LEDGER_REVERTED', 'registerProvider reverted');
    const c = countingContext({ providerOf: async () => Promise.reject(refused) });
    const provider = new ProviderAgent(c.ctx, providerInit, neverTrains);
    await expect(provider.start()).rejects.toBe(refused);
    expect(c.subscriptions()).toBe(0);
    expect(vi.getTimerCount()).toBe(0);
  });

  it('stop() undoes what start() set up: offer timer, subscriptions, handlers, listeners', async () => {
    vi.useFakeTimers();
    const c = countingContext();
    const provider = new ProviderAgent(c.ctx, providerInit, neverTrains);
    const requester = new RequesterAgent(c.ctx, '/nonexistent/jobs');
    const verifier = new VerifierAgent(c.ctx, { confidence: 0.99, cheatFraction: 0.1 });
    const coordinator = new CoordinatorAgent(c.ctx, {
      confidence: 0.99,
      cheatFraction: 0.1,
      challenge: async () => ({ passed: true, reason: 'ok' }),
    });
    const stop = await startAll([requester, provider, verifier, coordinator]);
    expect(c.handlers.size).toBe(2);
    // One chain-event subscription per role, plus the requester's provider-liveness watch (keyless preemption).
    expect(c.subscriptions()).toBe(5);
    expect(c.listeners.size).toBe(2); // offers: the coordinator's book and the requester's known machines
    expect(vi.getTimerCount()).toBeGreaterThanOrEqual(2); // offer republish + coordinator tick
    await stop();
    expect(c.handlers.size).toBe(0);
    expect(c.subscriptions()).toBe(0);
    expect(c.listeners.size).toBe(0);
    expect(vi.getTimerCount()).toBe(0);
  });

  it('startAll stops the roles already started, in reverse order, when one fails', async () => {
    const order: string[] = [];
    const role = (name: string, fail = false): Startable => ({
      start: async () => {
        order.push(`start ${name}`);
        if (fail) throw new Error(`${name} failed`);
      },
      stop: async () => void order.push(`stop ${name}`),
    });
    await expect(startAll([role('a'), role('b'), role('c', true), role('d')])).rejects.toThrow('c failed');
    expect(order).toEqual(['start a', 'start b', 'start c', 'stop c', 'stop b', 'stop a']);
  });

  it('close() aborts work in flight and waits for it, but no longer than its grace', async () => {
    const scope = new RoleScope('test', silent);
    let sawAbort = false;
    void scope.spawn(
      'listens',
      (signal) =>
        new Promise<void>((resolve) =>
          signal.addEventListener('abort', () => {
            sawAbort = true;
            resolve();
          }),
        ),
    );
    void scope.spawn('ignores the signal', () => new Promise<void>(() => undefined));
    expect(scope.inFlight).toBe(2);
    const started = Date.now();
    await scope.close(200);
    expect(sawAbort).toBe(true);
    expect(Date.now() - started).toBeLessThan(2_000);
    expect(scope.inFlight).toBe(1); // the one that ignored its signal is abandoned, not awaited forever
    // nothing new starts after close
    void scope.spawn('late', async () => undefined);
    expect(scope.inFlight).toBe(1);
  });
});
