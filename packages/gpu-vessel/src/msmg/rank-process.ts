/**
 * One MSMG rank's worker process, started in the same sandbox as the single-worker training (worker/
 * run-training-worker.ts): a V8 heap cap (--max-old-space-size plus the fixed semi-space), a wall-clock cap after
 * which it is SIGKILLed, only WORKER_ENV_PASSTHROUGH from this process's environment (no AIC_PASSWORD, no RPC keys,
 * no NODE_OPTIONS that could lift the cap), and its config (with the rank's ephemeral key) in a 0600 file. It talks
 * to its peers only over the group's `/aic/msmg/1.0.0` streams and to its parent only through JSON event lines.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { chmod, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { AicError } from '@aic/core';
import { errorOfExit } from '../worker/exit-reason.ts';
import { WORKER_ENV_PASSTHROUGH, WORKER_SEMI_SPACE_MIB } from '../worker/run-training-worker.ts';
import type { MsmgWorkerConfig, WorkerEvent } from './worker-config.ts';

const WORKER_MAIN = new URL('./worker-main.ts', import.meta.url).pathname;

export interface RankLimits {
  /** V8 heap cap of the worker, as for a single-worker job. */
  readonly memoryMiB: number;
  /** Wall-clock cap; the worker is killed (SIGKILL) when it is reached. */
  readonly timeoutMs: number;
}

/** Defaults for the package harness and the bench (the node passes its --worker-memory-mib / timeout). */
export const DEFAULT_RANK_LIMITS: RankLimits = { memoryMiB: 2_048, timeoutMs: 3_600_000 };

export type DoneEvent = Extract<WorkerEvent, { event: 'done' }>;

export interface RankProcess {
  readonly process: ChildProcess;
  /** Resolves with the done event; rejects with the worker's failed event as an AicError (its code, `peerRank` in
   * details), WORKER_TIMEOUT, WORKER_ABORTED or the exit's reason (WORKER_OUT_OF_MEMORY, WORKER_CRASHED). */
  readonly result: Promise<DoneEvent>;
}

/** A free TCP port on `host` for a worker to listen on (it is told the port before its peers dial it). */
export async function freePort(host = '127.0.0.1'): Promise<number> {
  return await new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, host, () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

function sandboxEnv(rank: number): Record<string, string> {
  const env: Record<string, string> = {};
  for (const name of WORKER_ENV_PASSTHROUGH) {
    const value = process.env[name];
    if (value !== undefined) env[name] = value;
  }
  return { ...env, AIC_MSMG_RANK: String(rank) };
}

/** Writes `config` to `<dir>/<name>.json` (0600) and starts the rank's worker on it, sandboxed. */
export async function startRankProcess(
  config: MsmgWorkerConfig,
  o: {
    dir: string;
    name: string;
    limits?: RankLimits;
    signal?: AbortSignal;
    onEvent?: (event: WorkerEvent, child: ChildProcess) => void;
  },
): Promise<RankProcess> {
  const limits = o.limits ?? DEFAULT_RANK_LIMITS;
  const path = join(o.dir, `${o.name}.json`);
  await writeFile(path, JSON.stringify(config), { mode: 0o600 });
  await chmod(path, 0o600);
  const child = spawn(
    process.execPath,
    [
      '--import',
      import.meta.resolve('tsx'),
      `--max-old-space-size=${limits.memoryMiB}`,
      `--max-semi-space-size=${WORKER_SEMI_SPACE_MIB}`,
      WORKER_MAIN,
      path,
    ],
    { stdio: ['ignore', 'pipe', 'pipe'], env: sandboxEnv(config.rank) },
  );
  let done: DoneEvent | undefined;
  let failed: Extract<WorkerEvent, { event: 'failed' }> | undefined;
  let stopped: AicError | undefined;
  let stderr = '';
  createInterface({ input: child.stdout as NodeJS.ReadableStream }).on('line', (line) => {
    let event: WorkerEvent;
    try {
      event = JSON.parse(line) as WorkerEvent;
    } catch {
      return; // a library's stray output
    }
    if (event.event === 'done') done = event;
    if (event.event === 'failed') failed = event;
    o.onEvent?.(event, child);
  });
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr = (stderr + chunk.toString()).slice(-8_000);
  });
  const kill = (error: AicError) => {
    stopped ??= error;
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  };
  const timer = setTimeout(
    () => kill(new AicError('WORKER_TIMEOUT', `MSMG rank ${config.rank} killed after ${limits.timeoutMs} ms`)),
    limits.timeoutMs,
  );
  const onAbort = () => kill(new AicError('WORKER_ABORTED', `MSMG rank ${config.rank} stopped`));
  if (o.signal?.aborted) onAbort();
  o.signal?.addEventListener('abort', onAbort, { once: true });
  const result = new Promise<DoneEvent>((resolve, reject) => {
    child.once('close', (code, signal) => {
      clearTimeout(timer);
      o.signal?.removeEventListener('abort', onAbort);
      if (done && code === 0) return resolve(done);
      if (stopped) return reject(stopped);
      if (failed) {
        return reject(
          new AicError(failed.code as 'MSMG_GROUP_FAILED', failed.message, {
            details: { rank: config.rank, ...(failed.peerRank === undefined ? {} : { peerRank: failed.peerRank }) },
          }),
        );
      }
      reject(errorOfExit({ exitCode: code, signal, stderrTail: stderr }, limits.memoryMiB));
    });
  });
  return { process: child, result };
}
