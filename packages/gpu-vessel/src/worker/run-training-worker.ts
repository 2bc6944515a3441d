/**
 * The GPU Vessel's sandboxed training run (DESIGN.md §6): the model-vessel runtime executes in a separate Node
 * process with a V8 heap cap and a wall-clock cap, so a hostile or oversized job can exhaust only its own process.
 * The parent streams the child's progress and checkpoint announcements, trusts none of its messages without schema
 * and consistency checks (announced commitments must be the ones in the final list, the root must be their root),
 * and kills it with SIGKILL on timeout or abort. Checkpoints live in `checkpointDir`, so a worker started again on
 * the same directory resumes the job and ends with the same commitment root as an uninterrupted run.
 */
import { type ChildProcess, fork } from 'node:child_process';
import { AicError } from '@aic/core';
import type { JobSpec } from '@aic/model-vessel';
import { errorOfExit } from './exit-reason.ts';
import type { DoneMessage, ReadyMessage, StartMessage, WorkerDataset, WorkerFault } from './protocol.ts';
import { workerEntry } from './worker-entry.ts';
import { WorkerSession } from './worker-session.ts';

/** The child's entry point (TypeScript; `workerEntry` starts its bundle while current). */
export { WORKER_MAIN } from './worker-entry.ts';

const STDERR_TAIL_CHARS = 8_000;
const MIN_MEMORY_MIB = 16;
/**
 * The young generation's semi-space cap. V8 puts 3 semi-spaces on top of the old space, and their default grew with
 * Node versions (Node 20: 16 MiB, heap limit cap + 48 MiB; Node 24: 64 MiB, cap + 192 MiB), so without this flag the
 * sandbox's memory cap would depend on the Node version. 16 MiB (Node 20's default) keeps minor GCs cheap.
 */
export const WORKER_SEMI_SPACE_MIB = 16;

export interface TrainingWorkerInit {
  readonly spec: JobSpec;
  readonly dataset: WorkerDataset;
  /** This job's checkpoint directory (one job per directory: files are named by step). */
  readonly checkpointDir: string;
  /** V8 heap cap of the worker (--max-old-space-size; the young generation adds 3 × WORKER_SEMI_SPACE_MIB). */
  readonly memoryMiB: number;
  /** Wall-clock cap; the worker is killed (SIGKILL) when it is reached. */
  readonly timeoutMs: number;
  /** Continue from the latest checkpoint of this job in checkpointDir (default true). */
  readonly resume?: boolean;
  /** Continue from a checkpoint handed over by another provider (it is copied into checkpointDir). */
  readonly resumeFromFile?: { readonly json: string; readonly safetensors: string };
  /** Stop at the first commitment at or after this step (preemption). */
  readonly stopAfterStep?: number;
  /** Progress every this many steps as well as at each commitment. */
  readonly progressEverySteps?: number;
  /** TEST ONLY: fake this fraction of segments, as a provider skipping work would. */
  readonly fault?: WorkerFault;
  /** Extra environment for the worker (it otherwise gets only WORKER_ENV_PASSTHROUGH from this process). */
  readonly env?: Readonly<Record<string, string>>;
}

/**
 * The variables a worker inherits: the agent's secrets (AIC_PASSWORD, RPC keys) and NODE_OPTIONS (which could
 * lift the heap cap) stay out; the Vulkan ones are what the webgpu backend needs on a GPU machine.
 */
export const WORKER_ENV_PASSTHROUGH = ['PATH', 'HOME', 'TMPDIR', 'LANG', 'TZ', 'LD_LIBRARY_PATH', 'VK_ICD_FILENAMES'];

function workerEnv(extra: Readonly<Record<string, string>> = {}): Record<string, string> {
  const env: Record<string, string> = {};
  for (const name of WORKER_ENV_PASSTHROUGH) {
    const value = process.env[name];
    if (value !== undefined) env[name] = value;
  }
  return { ...env, ...extra };
}

export interface WorkerProgress {
  readonly step: number;
  readonly totalSteps: number;
  readonly epoch: number;
  readonly loss: number;
  readonly accuracy?: number | undefined;
}

/** A checkpoint the worker has saved: c_index at `step`, its files in checkpointDir. */
export interface WorkerCheckpoint {
  readonly index: number;
  readonly step: number;
  readonly hash: `0x${string}`;
}

export interface TrainingWorkerHandlers {
  readonly onReady?: (ready: Omit<ReadyMessage, 'type'>) => void;
  readonly onProgress?: (progress: WorkerProgress) => void;
  readonly onCheckpoint?: (checkpoint: WorkerCheckpoint) => void;
  readonly signal?: AbortSignal;
}

export type TrainingWorkerResult = Omit<DoneMessage, 'type'> & {
  readonly resumedFrom: ReadyMessage['resumedFrom'];
  readonly heapLimitBytes: number;
};

function startMessageOf(init: TrainingWorkerInit): StartMessage {
  return {
    type: 'start',
    spec: init.spec,
    dataset: init.dataset,
    checkpointDir: init.checkpointDir,
    resume: init.resume ?? true,
    ...(init.resumeFromFile ? { resumeFromFile: { ...init.resumeFromFile } } : {}),
    ...(init.stopAfterStep === undefined ? {} : { stopAfterStep: init.stopAfterStep }),
    ...(init.progressEverySteps === undefined ? {} : { progressEverySteps: init.progressEverySteps }),
    ...(init.fault ? { fault: { ...init.fault } } : {}),
  };
}

function checkInit(init: TrainingWorkerInit): void {
  const { memoryMiB, timeoutMs } = init;
  if (!Number.isSafeInteger(memoryMiB) || memoryMiB < MIN_MEMORY_MIB || !(timeoutMs > 0)) {
    throw new AicError('WORKER_INIT_INVALID', `memoryMiB must be an integer ≥ ${MIN_MEMORY_MIB}, timeoutMs > 0`, {
      details: { memoryMiB, timeoutMs },
    });
  }
}

function spawnWorker(init: TrainingWorkerInit): ChildProcess {
  const entry = workerEntry();
  return fork(entry.module, [], {
    env: workerEnv(init.env),
    execArgv: [
      ...entry.execArgv,
      `--max-old-space-size=${init.memoryMiB}`,
      `--max-semi-space-size=${WORKER_SEMI_SPACE_MIB}`,
    ],
    stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
    serialization: 'advanced',
  });
}

/**
 * Runs a training job in a separate worker process with a heap cap (`memoryMiB`) and a wall-clock cap (`timeoutMs`),
 * resuming from the job's latest checkpoint in `checkpointDir` unless `resume: false`.
 *
 * Rejects with an AicError: WORKER_TIMEOUT, WORKER_OUT_OF_MEMORY, WORKER_CRASHED (exit code or signal in details),
 * WORKER_ABORTED, WORKER_PROTOCOL_ERROR, WORKER_INIT_INVALID, or the runtime's own code (e.g. JOB_SPEC_INVALID,
 * RUNTIME_CHECKPOINT_MISMATCH).
 *
 * @example
 * const result = await runTrainingWorker(
 *   { spec, dataset: { shards, rows }, checkpointDir, memoryMiB: 512, timeoutMs: 600_000 },
 *   { onProgress: (p) => console.log(p.step, p.loss) },
 * );
 * console.log(result.commitmentRoot, result.resultCid, result.weightsPath);
 */
export function runTrainingWorker(
  init: TrainingWorkerInit,
  handlers: TrainingWorkerHandlers = {},
): Promise<TrainingWorkerResult> {
  try {
    checkInit(init);
  } catch (error) {
    return Promise.reject(error);
  }
  const { signal } = handlers;
  if (signal?.aborted) {
    return Promise.reject(new AicError('WORKER_ABORTED', 'aborted before start', { cause: signal.reason }));
  }
  return new Promise((resolve, reject) => {
    const child = spawnWorker(init);
    const session = new WorkerSession(handlers);
    let stderrTail = '';
    let failure: unknown;
    let result: TrainingWorkerResult | undefined;
    // settles only once the process is gone, so a resumed worker never races a dying one on the same directory
    const finish = () => {
      clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
      if (result) resolve(result);
      else
        reject(
          failure ?? errorOfExit({ exitCode: child.exitCode, signal: child.signalCode, stderrTail }, init.memoryMiB),
        );
    };
    const stop = (error: unknown) => {
      if (failure === undefined && result === undefined) failure = error;
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    };
    const timer = setTimeout(
      () => stop(new AicError('WORKER_TIMEOUT', `training worker killed after ${init.timeoutMs} ms`)),
      init.timeoutMs,
    );
    const onAbort = () => stop(new AicError('WORKER_ABORTED', 'training worker killed', { cause: signal?.reason }));
    signal?.addEventListener('abort', onAbort, { once: true });
    child.stderr?.on('data', (chunk: Buffer) => {
      stderrTail = (stderrTail + chunk.toString('utf8')).slice(-STDERR_TAIL_CHARS);
    });
    child.on('message', (raw) => {
      if (failure !== undefined || result !== undefined) return;
      try {
        result = session.accept(raw); // the child exits by itself after its result
      } catch (error) {
        stop(error); // a protocol error, the child's own error, or a handler's
      }
    });
    // only a failed start is final here; a broken pipe to a dying child is classified by 'close'
    child.on('error', (error) => {
      if (child.pid !== undefined) return;
      stop(new AicError('WORKER_CRASHED', 'could not start the training worker', { cause: error }));
      finish(); // never started: no 'close' will come
    });
    // 'close' comes after the IPC channel and stderr are drained: every message and the whole stderr tail are in
    child.on('close', finish);
    child.send(startMessageOf(init), () => undefined); // a child already gone is reported by 'close'
  });
}
