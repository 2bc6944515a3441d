/**
 * Supervision of one devnet node process: when it exits without being asked to, the devnet reports which node died,
 * how (exit code or signal), its last output lines, and starts it again on the same data directory and ports after a
 * backoff (1, 2, 4 … s, capped). A node that keeps crashing soon after each start is reported as failed and left
 * down, not shown as running. `restartDecision` is the pure policy.
 */
import { isAicError, pause } from '@aic/core';
import type { NodeExit, NodeProcess } from '@aic/node/spawn';
import type { DevnetNodeEvent, DevnetNodeInfo, DevnetRole } from './nodes-events.ts';

export interface RestartPolicy {
  baseMs: number;
  maxMs: number;
  /** After this many crashes in a row, each within `stableMs` of its start, the node is failed. */
  maxQuickCrashes: number;
  /** A node up at least this long before it crashed starts its count again. */
  stableMs: number;
}

export const DEFAULT_RESTART_POLICY: RestartPolicy = {
  baseMs: 1_000,
  maxMs: 30_000,
  maxQuickCrashes: 5,
  stableMs: 60_000,
};

/** After a crash: how many quick crashes in a row there now are, and whether to restart (after how long) or give up. */
export function restartDecision(
  quickCrashesBefore: number,
  uptimeMs: number,
  policy = DEFAULT_RESTART_POLICY,
): { quickCrashes: number; restart: true; delayMs: number } | { quickCrashes: number; restart: false } {
  const quickCrashes = uptimeMs >= policy.stableMs ? 1 : quickCrashesBefore + 1;
  if (quickCrashes > policy.maxQuickCrashes) return { quickCrashes, restart: false };
  return { quickCrashes, restart: true, delayMs: Math.min(policy.maxMs, policy.baseMs * 2 ** (quickCrashes - 1)) };
}

export type NodeState = 'running' | 'restarting' | 'failed' | 'stopped';

/** What the devnet reports about each node (GET /status on the devnet). */
export interface NodeStatus {
  index: number;
  role: DevnetRole;
  state: NodeState;
  pid: number | null;
  apiUrl: string;
  restarts: number;
  lastExit?: { code: number | null; signal: string | null; uptimeMs: number; atMs: number; lastLines: string[] };
}

export interface SupervisedNode {
  status(): NodeStatus;
  info(): DevnetNodeInfo;
  process(): NodeProcess;
  /** Ends supervision and the process (SIGTERM, or SIGKILL with `kill`); resolves once it exited. */
  stop(kill?: boolean): Promise<void>;
  /** Starts it again now (after `stop`), under supervision. */
  restart(): Promise<DevnetNodeInfo>;
}

export function superviseNode(init: {
  first: { process: NodeProcess; info: DevnetNodeInfo };
  /** Spawns the node again on its data directory and ports. */
  respawn: () => Promise<{ process: NodeProcess; info: DevnetNodeInfo }>;
  emit: (event: DevnetNodeEvent) => void;
  signal?: AbortSignal;
  policy?: RestartPolicy;
}): SupervisedNode {
  let current = init.first;
  let startedAt = Date.now();
  let state: NodeState = 'running';
  let restarts = 0;
  let quickCrashes = 0;
  let lastExit: NodeStatus['lastExit'];
  let wake = new AbortController();
  const { index, role } = init.first.info;

  const watch = (p: NodeProcess) => {
    void p.ended.then((exit) => {
      if (p !== current.process) return;
      if (state !== 'running') {
        init.emit({ type: 'exited', index, role, code: exit.code });
        return;
      }
      void onCrash(exit, p.tail());
    });
  };

  async function onCrash(exit: NodeExit, lastLines: string[]): Promise<void> {
    const uptimeMs = Date.now() - startedAt;
    lastExit = { code: exit.code, signal: exit.signal, uptimeMs, atMs: Date.now(), lastLines };
    const decision = restartDecision(quickCrashes, uptimeMs, init.policy);
    quickCrashes = decision.quickCrashes;
    init.emit({ type: 'crashed', index, role, code: exit.code, signal: exit.signal, uptimeMs, lastLines });
    if (!decision.restart) {
      state = 'failed';
      init.emit({ type: 'failed', index, role, crashes: quickCrashes });
      return;
    }
    state = 'restarting';
    init.emit({ type: 'restarting', index, role, delayMs: decision.delayMs, attempt: quickCrashes });
    wake = new AbortController();
    const signal = init.signal === undefined ? wake.signal : AbortSignal.any([wake.signal, init.signal]);
    if (!(await pause(decision.delayMs, signal)) || state !== 'restarting') return;
    try {
      const again = await init.respawn();
      if (state !== 'restarting') {
        await again.process.stop();
        return;
      }
      current = again;
      startedAt = Date.now();
      state = 'running';
      restarts++;
      init.emit({ type: 'restarted', node: again.info, restarts });
      watch(again.process);
    } catch (error) {
      // It did not come up (NODE_START_FAILED carries its last lines): that is one more quick crash.
      if (state !== 'restarting') return;
      startedAt = Date.now();
      state = 'running';
      const lines = isAicError(error) && Array.isArray(error.details.lastLines) ? error.details.lastLines : [];
      void onCrash({ code: null, signal: null }, lines.map(String));
    }
  }

  watch(init.first.process);
  return {
    status: () => ({
      index,
      role,
      state,
      pid: state === 'running' ? (current.process.child.pid ?? null) : null,
      apiUrl: current.info.apiUrl,
      restarts,
      ...(lastExit === undefined ? {} : { lastExit }),
    }),
    info: () => current.info,
    process: () => current.process,
    async stop(kill = false) {
      state = 'stopped';
      wake.abort();
      const p = current.process;
      if (kill) {
        p.child.kill('SIGKILL');
        await p.exited;
      } else await p.stop();
    },
    async restart() {
      const again = await init.respawn();
      current = again;
      startedAt = Date.now();
      state = 'running';
      quickCrashes = 0;
      watch(again.process);
      return again.info;
    },
  };
}
