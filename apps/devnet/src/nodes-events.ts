import { READY_MESSAGE } from '@aic/node/options';

/** Devnet node roles (DESIGN.md: a requester, GPU providers, a data owner). */
export type DevnetRole = 'requester' | 'gpu-provider' | 'data-owner' | 'coordinator' | 'verifier';

/** One running devnet node. */
export interface DevnetNodeInfo {
  index: number;
  role: DevnetRole;
  apiUrl: string;
  peerId: string;
  address: string;
  multiaddrs: string[];
  dataDir: string;
  /** The node's OS process id. */
  pid: number;
}

/** What startDevnetNodes reports while it works and while the nodes run. */
export type DevnetNodeEvent =
  | { type: 'starting'; index: number; role: DevnetRole }
  | { type: 'ready'; node: DevnetNodeInfo }
  | { type: 'connected'; nodes: DevnetNodeInfo[] }
  /** A node's AIC balance as it reads it from the chain (GET /v1/balance). */
  | { type: 'balance'; index: number; role: DevnetRole; aic: string }
  /** An operator-level (info/warn/error) log line of one node: peers joining, offers published, … */
  | {
      type: 'activity';
      index: number;
      role: DevnetRole;
      level: string;
      message: string;
      fields: Record<string, unknown>;
    }
  /** A node stopped by the devnet (Ctrl-C, or a test's deliberate kill) exited. */
  | { type: 'exited'; index: number; role: DevnetRole; code: number | null }
  /** A node exited without being asked to: how, and what it printed last. */
  | {
      type: 'crashed';
      index: number;
      role: DevnetRole;
      code: number | null;
      signal: string | null;
      uptimeMs: number;
      lastLines: string[];
    }
  | { type: 'restarting'; index: number; role: DevnetRole; delayMs: number; attempt: number }
  /** A node did not come up (it exited, or was not ready in time, and was killed): why, its last lines, and
   * whether the devnet tries again. */
  | {
      type: 'start-failed';
      index: number;
      role: DevnetRole;
      attempt: number;
      attempts: number;
      reason: string;
      lastLines: string[];
      retryInMs?: number;
    }
  | { type: 'restarted'; node: DevnetNodeInfo; restarts: number }
  /** It crashed too often soon after starting: the devnet leaves it down. */
  | { type: 'failed'; index: number; role: DevnetRole; crashes: number };

/** The role of the i-th node: requester, two GPU providers, a data owner, then more providers. */
export function roleOf(index: number): DevnetRole {
  if (index === 0) return 'requester';
  if (index === 3) return 'data-owner';
  if (index === 4) return 'coordinator';
  if (index === 5 || index === 6) return 'verifier';
  return 'gpu-provider';
}

/** How many of a dead node's last output lines are printed (its status keeps all of them). */
export const PRINTED_LINES = 20;

const LEVELS: Record<number, string> = { 20: 'debug', 30: 'info', 40: 'warn', 50: 'error', 60: 'fatal' };
// Log fields that are bookkeeping, not news, in a one-line summary.
const HIDDEN_FIELDS = new Set(['level', 'time', 'name', 'msg', 'module', 'pid', 'hostname']);

/** Turns one node log line into an activity event (operator levels only), or undefined. */
export function activityFromLog(
  index: number,
  role: DevnetRole,
  line: Record<string, unknown>,
): DevnetNodeEvent | undefined {
  const level = typeof line.level === 'number' ? LEVELS[line.level] : undefined;
  if (level === undefined || typeof line.msg !== 'string') return undefined;
  // The 'ready' event already says this; fastify's own listen line repeats it.
  if (line.msg === READY_MESSAGE || line.module === 'http') return undefined;
  const fields = Object.fromEntries(Object.entries(line).filter(([k]) => !HIDDEN_FIELDS.has(k)));
  return { type: 'activity', index, role, level, message: line.msg, fields };
}

/** A one-line human description of an event, e.g. for `npm start` output. */
export function formatDevnetEvent(event: DevnetNodeEvent): string {
  switch (event.type) {
    case 'starting':
      return `node ${event.index} (${event.role}) starting`;
    case 'ready':
      return `node ${event.node.index} (${event.node.role}) ready: api ${event.node.apiUrl} address ${event.node.address} peer ${event.node.peerId} pid ${event.node.pid}`;
    case 'connected':
      return `${event.nodes.length} nodes connected over libp2p`;
    case 'balance':
      return `node ${event.index} (${event.role}) holds ${event.aic} AIC on chain`;
    case 'activity': {
      const detail = summarizeFields(event.fields);
      return `node ${event.index} (${event.role}) ${event.level === 'info' ? '' : `${event.level}: `}${event.message}${detail}`;
    }
    case 'exited':
      return `node ${event.index} (${event.role}) exited with code ${event.code}`;
    case 'crashed': {
      const how = event.signal === null ? `exit code ${event.code}` : `signal ${event.signal}`;
      const lines = event.lastLines.slice(-PRINTED_LINES).map((l) => `\n    | ${l}`);
      return `node ${event.index} (${event.role}) DIED (${how}) after ${(event.uptimeMs / 1000).toFixed(1)} s; its last ${lines.length} output lines:${lines.join('')}`;
    }
    case 'start-failed': {
      const lines = event.lastLines.slice(-PRINTED_LINES).map((l) => `\n    | ${l}`);
      const next = event.retryInMs === undefined ? 'giving up' : `trying again in ${event.retryInMs / 1000} s`;
      return `node ${event.index} (${event.role}) did not start (attempt ${event.attempt} of ${event.attempts}, ${next}): ${event.reason}; its last ${lines.length} output lines:${lines.join('')}`;
    }
    case 'restarting':
      return `node ${event.index} (${event.role}) restarting in ${event.delayMs / 1000} s (crash ${event.attempt} in a row)`;
    case 'restarted':
      return `node ${event.node.index} (${event.node.role}) restarted (${event.restarts} restarts): api ${event.node.apiUrl} pid ${event.node.pid}`;
    case 'failed':
      return `node ${event.index} (${event.role}) FAILED: it crashed ${event.crashes} times in a row soon after starting; left down`;
  }
}

function summarizeFields(fields: Record<string, unknown>): string {
  const parts = Object.entries(fields)
    .filter(([k, v]) => k !== 'err' && (typeof v === 'string' || typeof v === 'number'))
    .slice(0, 3)
    .map(([k, v]) => `${k}=${String(v)}`);
  // The error is what a person needs first when something is retried or fails: always shown, bounded.
  const err = errorSummary(fields.err);
  if (err !== undefined) parts.push(`err=${err}`);
  return parts.length === 0 ? '' : ` (${parts.join(', ')})`;
}

const MAX_ERROR_CHARS = 200;

function errorSummary(err: unknown): string | undefined {
  if (err === undefined || err === null) return undefined;
  if (typeof err === 'string') return err.slice(0, MAX_ERROR_CHARS);
  if (typeof err !== 'object') return String(err).slice(0, MAX_ERROR_CHARS);
  const { code, message } = err as { code?: unknown; message?: unknown };
  const text = [code, message].filter((x) => typeof x === 'string').join(' ');
  return text === '' ? undefined : text.slice(0, MAX_ERROR_CHARS);
}
