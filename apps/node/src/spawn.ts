import { type ChildProcess, spawn } from 'node:child_process';
import { dirname, join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { AicError } from '@aic/core';
import { bundleIsCurrent } from '@aic/gpu-vessel/bundle';
import { READY_MESSAGE } from './options.ts';

export { bundleIsCurrent };

/** The node entry point (apps/node/src/main.ts), run through tsx. */
export const NODE_MAIN = join(dirname(fileURLToPath(import.meta.url)), 'main.ts');

/** The same entry bundled to plain JavaScript (`npm run build:node`, also run by `npm install`): apps/node/dist. */
export const NODE_DIST = join(dirname(NODE_MAIN), '..', 'dist');

/**
 * How to start a node: the JavaScript bundle while it is current (none of the workspace files in its
 * build-info.json is newer than the build), else main.ts through tsx. The bundle spares each process compiling
 * ~430 TypeScript files at start-up (measured: 4.7 → 2.1 CPU-s to the ready line); an edited checkout never runs
 * stale code. AIC_NODE_FROM_SOURCE=1 forces the sources.
 */
export function defaultNodeEntry(env: NodeJS.ProcessEnv = process.env): string[] {
  if (env.AIC_NODE_FROM_SOURCE !== '1' && bundleIsCurrent(NODE_DIST)) return [join(NODE_DIST, 'main.js')];
  // tsx resolved from here, so the child works whatever its working directory.
  return ['--import', import.meta.resolve('tsx'), NODE_MAIN];
}

/** How many of a child's last output lines (stdout and stderr together) are kept for diagnosis. */
export const OUTPUT_TAIL_LINES = 50;
// One line of a child's output is cut to this many characters in the tail (an ABI in a log line is ~32 KB).
const TAIL_LINE_CHARS = 1_000;
// How many of the last lines a NODE_START_FAILED message quotes (all of them are in its details).
const MESSAGE_LINES = 5;

/** What a node prints in its ready line. */
export interface NodeReady {
  apiUrl: string;
  peerId: string;
  address: string;
  multiaddrs: string[];
}

export interface SpawnNodeOptions {
  /** Command-line flags for main.ts (see its --help), e.g. ['--data-dir', dir, '--api-port', '0']. */
  args: string[];
  /** Node.js arguments before `args`; default `defaultNodeEntry()`: the bundle while current, else main.ts through
   * tsx. (`aic node start` tests pass the CLI.) */
  entry?: string[];
  /** Extra environment (AIC_PASSWORD goes here). */
  env?: Record<string, string>;
  /** Bound on the wait for the ready line. Default 120 s (loaded machines are slow to import libp2p and tsx). */
  readyTimeoutMs?: number;
  /** Every log line of the child, parsed (non-JSON lines come as { msg: line }). */
  onLog?: (line: Record<string, unknown>) => void;
  /**
   * Aborting it before the node is ready ends the child (SIGTERM, SIGKILL after ABORT_KILL_AFTER_MS) and rejects
   * with NODE_ABORTED once it exited: a devnet told to stop while nodes are still starting leaves none running.
   * After ready, stopping is the caller's (`stop()`).
   */
  signal?: AbortSignal;
}

/** How long an aborted start waits for the child to end on SIGTERM before it sends SIGKILL. */
export const ABORT_KILL_AFTER_MS = 5_000;

/** How a node process ended: its exit code, or the signal that killed it. */
export interface NodeExit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

export interface NodeProcess {
  child: ChildProcess;
  ready: NodeReady;
  /** Sends SIGTERM and resolves to the exit code once the process has exited. */
  stop(): Promise<number | null>;
  /** Resolves to the exit code when the process exits. */
  exited: Promise<number | null>;
  /** Resolves to the exit code and signal when the process exits. */
  ended: Promise<NodeExit>;
  /** The child's last output lines (stdout and stderr, in order, at most OUTPUT_TAIL_LINES). */
  tail(): string[];
}

/** A bounded ring of the last lines of text. */
export function createLineTail(capacity = OUTPUT_TAIL_LINES): { push(line: string): void; lines(): string[] } {
  const ring: string[] = [];
  return {
    push(line) {
      if (line.trim() === '') return;
      ring.push(line.length > TAIL_LINE_CHARS ? `${line.slice(0, TAIL_LINE_CHARS)}… (${line.length} chars)` : line);
      if (ring.length > capacity) ring.shift();
    },
    lines: () => [...ring],
  };
}

/**
 * Starts a node as a child process and waits for its `node ready` log line (no sleeps, bounded by
 * readyTimeoutMs). Rejects with NODE_START_FAILED, whose message quotes the child's last output lines (all of the
 * kept ones are in `details.lastLines`), if it exits or times out first.
 */
export async function spawnNodeProcess(options: SpawnNodeOptions): Promise<NodeProcess> {
  const entry = options.entry ?? defaultNodeEntry();
  if (options.signal?.aborted === true) throw new AicError('NODE_ABORTED', 'node start aborted before it began');
  const child = spawn(process.execPath, [...entry, ...options.args], {
    env: { ...process.env, ...options.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const ended = new Promise<NodeExit>((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
  const exited = ended.then((e) => e.code);
  const tail = createLineTail();
  createInterface({ input: child.stderr! }).on('line', (text) => tail.push(text));
  const ready = await waitForReady(child, ended, options, tail);
  let signalled = false;
  const stop = async () => {
    // One SIGTERM only: the node stops cleanly on the first; a second could land after its handler is gone.
    if (!signalled && child.exitCode === null && child.signalCode === null) {
      signalled = true;
      child.kill('SIGTERM');
    }
    return exited;
  };
  return { child, ready, stop, exited, ended, tail: tail.lines };
}

function waitForReady(
  child: ChildProcess,
  ended: Promise<NodeExit>,
  options: SpawnNodeOptions,
  tail: ReturnType<typeof createLineTail>,
): Promise<NodeReady> {
  const timeoutMs = options.readyTimeoutMs ?? 120_000;
  return new Promise<NodeReady>((resolve, reject) => {
    let settled = false;
    const fail = (why: string) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      child.kill('SIGKILL');
      const lastLines = tail.lines();
      const quoted = lastLines.slice(-MESSAGE_LINES).join(' | ');
      reject(
        new AicError(
          'NODE_START_FAILED',
          `node process ${why}; ${quoted === '' ? 'it printed nothing' : `last output: ${quoted}`}`,
          { details: { pid: child.pid ?? null, lastLines } },
        ),
      );
    };
    const timer = setTimeout(() => fail(`not ready after ${timeoutMs} ms`), timeoutMs);
    void ended.then(({ code, signal }) =>
      fail(`exited (${signal === null ? `code ${code}` : `signal ${signal}`}) before it was ready`),
    );
    const onAbort = () => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      child.kill('SIGTERM');
      const killer = setTimeout(() => child.kill('SIGKILL'), ABORT_KILL_AFTER_MS);
      void ended.then(() => {
        clearTimeout(killer);
        reject(
          new AicError('NODE_ABORTED', 'node start aborted before it was ready', {
            details: { pid: child.pid ?? null },
          }),
        );
      });
    };
    if (options.signal?.aborted === true) onAbort();
    else options.signal?.addEventListener('abort', onAbort, { once: true });
    void ended.then(() => options.signal?.removeEventListener('abort', onAbort));
    const lines = createInterface({ input: child.stdout! });
    lines.on('line', (text) => {
      tail.push(text);
      const line = parseLine(text);
      options.onLog?.(line);
      if (line.msg === READY_MESSAGE && !settled) {
        settled = true;
        clearTimeout(timer);
        options.signal?.removeEventListener('abort', onAbort);
        resolve(line as unknown as NodeReady);
      }
    });
  });
}

function parseLine(text: string): Record<string, unknown> {
  try {
    const value: unknown = JSON.parse(text);
    return typeof value === 'object' && value !== null ? (value as Record<string, unknown>) : { msg: text };
  } catch {
    return { msg: text };
  }
}
