import { availableParallelism, loadavg } from 'node:os';

/** Bound on one node's start (import, unlock, listen, stake as a provider, API up) on a machine with spare cores. */
export const NODE_READY_TIMEOUT_MS = 300_000;

/** How far an overloaded machine stretches the bound (at most this many times NODE_READY_TIMEOUT_MS). */
export const NODE_READY_MAX_STRETCH = 4;

/**
 * The bound on one node's start for the machine's load now: NODE_READY_TIMEOUT_MS up to 10 runnable threads per
 * core, growing with the load beyond that, up to NODE_READY_MAX_STRETCH times. Why: `--nodes 30` on 2 cores at load
 * 50–70 (1 Dec) — a node process needed 4.7 min from spawn to its first log line (importing tsx, libp2p, viem,
 * tfjs with ~2 % of a core), so nodes that had started their network, connected and staked were killed at 300 s
 * and started again from scratch, which only added load; a wider bound lets them finish.
 */
export function nodeReadyTimeoutMs(load1m = loadavg()[0] ?? 0, cores = availableParallelism()): number {
  const threadsPerCore = load1m / Math.max(1, cores);
  const stretch = Math.min(NODE_READY_MAX_STRETCH, Math.max(1, threadsPerCore / 10));
  return Math.round(NODE_READY_TIMEOUT_MS * stretch);
}
