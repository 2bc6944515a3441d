import { AicError } from '@aic/core';

/** How a worker process ended without handing back a result. */
export interface WorkerExit {
  readonly exitCode: number | null;
  readonly signal: NodeJS.Signals | null;
  /** The last few KiB of the child's stderr. */
  readonly stderrTail: string;
}

// V8's fatal message when the old-space cap (--max-old-space-size) is reached; it then aborts (SIGABRT / 134).
const HEAP_EXHAUSTED = /heap out of memory|Reached heap limit|Ineffective mark-compacts near heap limit/i;

/** Classifies an unexpected exit: the V8 heap cap (WORKER_OUT_OF_MEMORY) or any other crash (WORKER_CRASHED). */
export function errorOfExit(exit: WorkerExit, memoryMiB: number): AicError {
  const details = { exitCode: exit.exitCode, signal: exit.signal, stderrTail: exit.stderrTail.slice(-1000) };
  if (HEAP_EXHAUSTED.test(exit.stderrTail)) {
    return new AicError('WORKER_OUT_OF_MEMORY', `the training worker exceeded its ${memoryMiB} MiB heap`, {
      details: { ...details, memoryMiB },
    });
  }
  const how = exit.signal ? `signal ${exit.signal}` : `exit code ${exit.exitCode}`;
  return new AicError('WORKER_CRASHED', `the training worker ended (${how}) without a result`, { details });
}
