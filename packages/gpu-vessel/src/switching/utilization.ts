/**
 * The owner's own use of the GPU, as the switching agent samples it. With nvidia-smi: the GPUs' utilization
 * (`--query-gpu=utilization.gpu`, the busiest GPU), counted as the owner's while the agent's own miner is not running
 * (suspended for the owner, or stopped), and while it runs only when a compute process that is not the agent's own
 * uses a GPU (`--query-compute-apps=pid`): with the miner running, utilization alone cannot tell the owner's share
 * from the miner's. (Graphics-only use, which nvidia-smi does not list as a compute app, is therefore seen only
 * once the miner is suspended.) Without a GPU the source answers undefined and mining never yields to the owner;
 * tests and other adapters plug in their own source.
 */
import { execFile } from 'node:child_process';
import { AicError } from '@aic/core';

/** What the agent tells a source about itself when it samples. */
export interface UtilizationContext {
  /** Whether the agent's miner is running now (not suspended, not stopped). */
  minerRunning: boolean;
  /** Process ids of the agent's own GPU users (the miner's process group). */
  ownPids: ReadonlySet<number>;
}

/** The owner's GPU utilization in percent (0–100), or undefined when it cannot be known. */
export type UtilizationSource = (context: UtilizationContext) => Promise<number | undefined>;

export const NVIDIA_UTILIZATION_ARGS = ['--query-gpu=utilization.gpu', '--format=csv,noheader,nounits'] as const;
export const NVIDIA_COMPUTE_APPS_ARGS = ['--query-compute-apps=pid', '--format=csv,noheader'] as const;
const PROBE_TIMEOUT_MS = 3_000;

/**
 * The busiest GPU's utilization from `nvidia-smi --query-gpu=utilization.gpu --format=csv,noheader,nounits` (one
 * integer per GPU). Throws SWITCH_UTILIZATION_INVALID on anything else ("[N/A]", driver errors, empty output).
 * @example parseUtilizationCsv('3\n97\n') // 97
 */
export function parseUtilizationCsv(text: string): number {
  const lines = text
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter((l) => l.length > 0);
  if (lines.length === 0 || lines.length > 64 || lines.some((l) => !/^[0-9]{1,3}$/.test(l) || Number(l) > 100)) {
    throw new AicError('SWITCH_UTILIZATION_INVALID', 'nvidia-smi utilization: expected one 0–100 integer per GPU', {
      details: { got: text.slice(0, 200) },
    });
  }
  return Math.max(...lines.map(Number));
}

/**
 * Process ids from `nvidia-smi --query-compute-apps=pid --format=csv,noheader` (none is an empty output or
 * "No running processes found").
 * @example parseComputeAppsCsv('4242\n977\n') // [4242, 977]
 */
export function parseComputeAppsCsv(text: string): number[] {
  return text
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter((l) => /^[0-9]{1,10}$/.test(l))
    .map(Number);
}

/** Runs a program, resolving to its stdout. */
export type RunProgram = (file: string, args: readonly string[], timeoutMs: number) => Promise<string>;

const runProgram: RunProgram = (file, args, timeoutMs) =>
  new Promise((resolve, reject) => {
    execFile(file, [...args], { timeout: timeoutMs, encoding: 'utf8' }, (error, stdout) =>
      error ? reject(error) : resolve(stdout),
    );
  });

/**
 * The nvidia-smi source (see the file comment). Where nvidia-smi is absent or fails it answers undefined, and says
 * so once through `onUnavailable`.
 */
export function nvidiaSmiUtilization(
  options: { run?: RunProgram; onUnavailable?: (error: unknown) => void } = {},
): UtilizationSource {
  const run = options.run ?? runProgram;
  let reported = false;
  return async ({ minerRunning, ownPids }) => {
    try {
      const percent = parseUtilizationCsv(await run('nvidia-smi', NVIDIA_UTILIZATION_ARGS, PROBE_TIMEOUT_MS));
      if (!minerRunning) return percent;
      const pids = parseComputeAppsCsv(await run('nvidia-smi', NVIDIA_COMPUTE_APPS_ARGS, PROBE_TIMEOUT_MS));
      return pids.some((pid) => !ownPids.has(pid)) ? percent : 0;
    } catch (error) {
      if (!reported) options.onUnavailable?.(error);
      reported = true;
      return undefined;
    }
  };
}
