import { type ChildProcess, spawn } from 'node:child_process';
import { dirname, join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { AicError } from '@aic/core';
import { READY_MESSAGE } from './options.ts';

/** The node entry point (apps/node/src/main.ts), run through tsx. */
export const NODE_MAIN = join(dirname(fileURLToPath(import.meta.url)), 'main.ts');

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
  /** Node.js arguments before `args`; default runs main.ts through tsx. (`aic node start` tests pass the CLI.) */
  entry?: string[];
  /** Extra environment (AIC_PASSWORD goes here). */
  env?: Record<string, string>;
  /** Bound on the wait for the ready line. Default 60 s (loaded CI machines are slow to import libp2p). */
  readyTimeoutMs?: number;
  /** Every log line of the child, parsed (non-JSON lines come as { msg: line }). */
  onLog?: (line: Record<string, unknown>) => void;
}

export interface NodeProcess {
  child: ChildProcess;
  ready: NodeReady;
  /** Sends SIGTERM and resolves to the exit code once the process has exited. */
  stop(): Promise<number | null>;
  /** Resolves to the exit code when the process exits. */
  exited: Promise<number | null>;
}

/**
 * Starts a node as a child process and waits for its `node ready` log line (no sleeps, bounded by
 * readyTimeoutMs). Rejects with NODE_START_FAILED (and the child's last stderr) if it exits or times out first.
 */
export async function spawnNodeProcess(options: SpawnNodeOptions): Promise<NodeProcess> {
  // tsx resolved from here, so the child works whatever its working directory.
  const entry = options.entry ?? ['--import', import.meta.resolve('tsx'), NODE_MAIN];
  const child = spawn(process.execPath, [...entry, ...options.args], {
    env: { ...process.env, ...options.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  let stderrTail = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    stderrTail = (stderrTail + chunk.toString('utf8')).slice(-2000);
  });
  const ready = await waitForReady(child, exited, options, () => stderrTail);
  let signalled = false;
  const stop = async () => {
    // One SIGTERM only: the node stops cleanly on the first; a second could land after its handler is gone.
    if (!signalled && child.exitCode === null && child.signalCode === null) {
      signalled = true;
      child.kill('SIGTERM');
    }
    return exited;
  };
  return { child, ready, stop, exited };
}

function waitForReady(
  child: ChildProcess,
  exited: Promise<number | null>,
  options: SpawnNodeOptions,
  stderrTail: () => string,
): Promise<NodeReady> {
  const timeoutMs = options.readyTimeoutMs ?? 60_000;
  return new Promise<NodeReady>((resolve, reject) => {
    let settled = false;
    const fail = (why: string) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      child.kill('SIGKILL');
      reject(new AicError('NODE_START_FAILED', `node process ${why}: ${stderrTail().trim().split('\n').at(-1) ?? ''}`));
    };
    const timer = setTimeout(() => fail(`not ready after ${timeoutMs} ms`), timeoutMs);
    void exited.then((code) => fail(`exited with code ${code} before it was ready`));
    const lines = createInterface({ input: child.stdout! });
    lines.on('line', (text) => {
      const line = parseLine(text);
      options.onLog?.(line);
      if (line.msg === READY_MESSAGE && !settled) {
        settled = true;
        clearTimeout(timer);
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
