/**
 * Issue 18 item 2: a devnet node that dies on its own is reported (how, last lines) and restarted with backoff; one
 * that keeps crashing right after starting is reported failed; a node the devnet stops is not restarted. The node
 * processes are stubs here (the fault test kills real ones); backoffs are shortened, nothing sleeps to synchronise.
 */
import { AicError } from '@aic/core';
import type { NodeExit, NodeProcess } from '@aic/node/spawn';
import { describe, expect, it } from 'vitest';
import { DEFAULT_RESTART_POLICY, restartDecision, superviseNode } from '../../src/node-supervisor.ts';
import type { DevnetNodeEvent, DevnetNodeInfo } from '../../src/nodes-events.ts';

function fakeProcess(pid: number, lines: string[] = []) {
  let end!: (exit: NodeExit) => void;
  const ended = new Promise<NodeExit>((resolve) => {
    end = resolve;
  });
  const proc = {
    child: { pid, kill: () => end({ code: null, signal: 'SIGKILL' }) },
    ready: { apiUrl: 'http://127.0.0.1:1', peerId: 'p', address: '0x0', multiaddrs: [] },
    ended,
    exited: ended.then((e) => e.code),
    stop: async () => {
      end({ code: 0, signal: null });
      return 0;
    },
    tail: () => lines,
  } as unknown as NodeProcess;
  return { proc, crash: (exit: NodeExit) => end(exit) };
}

const info = (pid: number): DevnetNodeInfo => ({
  index: 4,
  role: 'coordinator',
  apiUrl: 'http://127.0.0.1:1',
  peerId: 'p',
  address: '0x0',
  multiaddrs: [],
  dataDir: '/tmp/x',
  pid,
});

/** Collects events and resolves waiters when an event of a type arrives. */
function eventLog() {
  const events: DevnetNodeEvent[] = [];
  const waiters: { type: string; resolve: (e: DevnetNodeEvent) => void }[] = [];
  const emit = (e: DevnetNodeEvent) => {
    events.push(e);
    for (const w of waiters.filter((x) => x.type === e.type)) {
      waiters.splice(waiters.indexOf(w), 1);
      w.resolve(e);
    }
  };
  const next = (type: DevnetNodeEvent['type']) =>
    new Promise<DevnetNodeEvent>((resolve) => waiters.push({ type, resolve }));
  return { events, emit, next };
}

const FAST = { ...DEFAULT_RESTART_POLICY, baseMs: 5, maxMs: 20, maxQuickCrashes: 3 };

describe('devnet node supervision', () => {
  it('backs off 1, 2, 4 … s capped, resets after a stable run, and gives up after repeated quick crashes', () => {
    const delays: number[] = [];
    let quick = 0;
    for (let i = 0; i < 5; i++) {
      const d = restartDecision(quick, 1_000);
      quick = d.quickCrashes;
      if (d.restart) delays.push(d.delayMs);
      else delays.push(-1);
    }
    expect(delays).toEqual([1_000, 2_000, 4_000, 8_000, 16_000]);
    expect(restartDecision(5, 1_000)).toEqual({ quickCrashes: 6, restart: false });
    expect(restartDecision(5, 120_000)).toMatchObject({ quickCrashes: 1, restart: true, delayMs: 1_000 });
    expect(restartDecision(4, 0, { ...DEFAULT_RESTART_POLICY, maxQuickCrashes: 9 })).toMatchObject({ delayMs: 16_000 });
    expect(restartDecision(8, 0, { ...DEFAULT_RESTART_POLICY, maxQuickCrashes: 9 })).toMatchObject({ delayMs: 30_000 });
  });

  it('reports a crash with its exit and last lines, restarts the node, and shows it running again', async () => {
    const first = fakeProcess(100, ['{"level":50,"msg":"RPC fetch failed"}', 'Error: fetch failed']);
    const second = fakeProcess(101);
    const log = eventLog();
    let spawns = 0;
    const node = superviseNode({
      first: { process: first.proc, info: info(100) },
      respawn: async () => {
        spawns++;
        return { process: second.proc, info: info(101) };
      },
      emit: log.emit,
      policy: FAST,
    });
    const restarted = log.next('restarted');
    first.crash({ code: 1, signal: null });
    await restarted;
    expect(log.events.map((e) => e.type)).toEqual(['crashed', 'restarting', 'restarted']);
    expect(log.events[0]).toMatchObject({
      code: 1,
      signal: null,
      lastLines: ['{"level":50,"msg":"RPC fetch failed"}', 'Error: fetch failed'],
    });
    expect(spawns).toBe(1);
    expect(node.status()).toMatchObject({ state: 'running', pid: 101, restarts: 1, lastExit: { code: 1 } });
  });

  it('reports a node that keeps crashing as failed, not running', async () => {
    const log = eventLog();
    const first = fakeProcess(200);
    const node = superviseNode({
      first: { process: first.proc, info: info(200) },
      // every restart fails to come up, with its last lines in the error
      respawn: async () => {
        throw new AicError('NODE_START_FAILED', 'node process exited (code 1) before it was ready', {
          details: { lastLines: ['boom'] },
        });
      },
      emit: log.emit,
      policy: FAST,
    });
    const failed = log.next('failed');
    first.crash({ code: null, signal: 'SIGSEGV' });
    await failed;
    expect(node.status().state).toBe('failed');
    expect(log.events.filter((e) => e.type === 'crashed')).toHaveLength(4);
    expect(log.events.filter((e) => e.type === 'restarting').map((e) => (e as { delayMs: number }).delayMs)).toEqual([
      5, 10, 20,
    ]);
    expect(node.status().lastExit?.lastLines).toEqual(['boom']);
  });

  it('does not restart a node the devnet stopped or killed on purpose', async () => {
    const log = eventLog();
    const first = fakeProcess(300);
    const node = superviseNode({
      first: { process: first.proc, info: info(300) },
      respawn: async () => {
        throw new Error('must not respawn');
      },
      emit: log.emit,
      policy: FAST,
    });
    const exited = log.next('exited');
    await node.stop(true);
    await exited;
    expect(node.status().state).toBe('stopped');
    expect(log.events.map((e) => e.type)).toEqual(['exited']);
  });
});
