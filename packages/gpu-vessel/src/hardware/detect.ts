import { execFile } from 'node:child_process';
import os from 'node:os';
import { AicError } from '@aic/core';
import { probeWebgpuAdapter, type WebgpuAdapter } from '@aic/model-vessel';
import type { Accelerator, HardwareDescriptor } from './descriptor.ts';
import {
  acceleratorOfAdapter,
  parseRocmSmiJson,
  parseSystemProfilerDisplays,
  ROCM_SMI_ARGS,
  SYSTEM_PROFILER_ARGS,
} from './detect-vendors.ts';

/**
 * Hardware detection: nvidia-smi, else rocm-smi (AMD), else system_profiler (a Mac's GPUs), else the WebGPU adapter's
 * vendor; the CPU when none of them lists a GPU. A WebGPU adapter (Dawn for Node) adds the webgpu backend and its
 * vendor/architecture to the descriptor. The enumeration is a *claim* (any tool's output can be spoofed); the class
 * counts only after a challenge. The parsers are pure (detect-vendors.ts); `detectHardware` is the thin adapter
 * around the processes and `os`.
 */

/** The query `detectHardware` runs: one CSV line per GPU, memory in MiB. */
export const NVIDIA_SMI_ARGS = ['--query-gpu=name,memory.total,count', '--format=csv,noheader,nounits'] as const;
const MIB = 1024 * 1024;
const PROBE_TIMEOUT_MS = 3_000;

/**
 * Parses `nvidia-smi --query-gpu=name,memory.total,count --format=csv,noheader,nounits` into accelerators, one entry
 * per distinct (model, memory) with its device count. Throws HARDWARE_PROBE_INVALID on anything else (driver error
 * text, "[N/A]", empty output).
 * @example parseNvidiaSmiCsv('NVIDIA H100 80GB HBM3, 81559, 1\n') // [{ kind: 'nvidia-gpu', model: 'NVIDIA H100 80GB HBM3', memoryBytes: 85520809984, count: 1 }]
 */
export function parseNvidiaSmiCsv(text: string): Accelerator[] {
  const lines = text
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter((line) => line.length > 0);
  if (lines.length === 0 || lines.length > 64) throw invalidProbe('expected 1 to 64 GPU lines', lines.length);
  const byModel = new Map<string, Accelerator>();
  for (const line of lines) {
    const { model, memoryBytes } = parseGpuLine(line);
    const key = `${model}\u0000${memoryBytes}`;
    const seen = byModel.get(key);
    if (seen) seen.count += 1;
    else byModel.set(key, { kind: 'nvidia-gpu', model, memoryBytes, count: 1 });
  }
  return [...byModel.values()];
}

function parseGpuLine(line: string): { model: string; memoryBytes: number } {
  // Parsed from the right: the two numeric fields are fixed, a model name could in principle hold a comma.
  const fields = line.split(',').map((f) => f.trim());
  const count = fields.pop();
  const memoryMiB = fields.pop();
  const model = fields.join(',').trim();
  const isInteger = (s: string | undefined): s is string => s !== undefined && /^[0-9]{1,9}$/.test(s);
  if (!isInteger(count) || !isInteger(memoryMiB) || model.length === 0 || model.length > 128) {
    throw invalidProbe('not a name,memory.total,count line', line.slice(0, 200));
  }
  if (Number(memoryMiB) === 0 || Number(count) === 0) throw invalidProbe('zero memory or count', line.slice(0, 200));
  return { model, memoryBytes: Number(memoryMiB) * MIB };
}

function invalidProbe(message: string, got: unknown): AicError {
  return new AicError('HARDWARE_PROBE_INVALID', `nvidia-smi output: ${message}`, { details: { got } });
}

/** Runs a program and resolves to its stdout (rejects when absent, failing or slow). */
export type ExecProgram = (file: string, args: readonly string[], options: { timeoutMs: number }) => Promise<string>;

export interface DetectHardwareOptions {
  /** Runs nvidia-smi; default child_process.execFile. Tests pass a stub. */
  exec?: ExecProgram;
  /** TensorFlow.js backends this provider runs. Default cpu and wasm (both ship with the runtime), plus webgpu when
   * the WebGPU probe finds an adapter. */
  backends?: HardwareDescriptor['backends'];
  /** Called when a vendor tool exists but its output is unusable (the descriptor then reports the CPU only). */
  onProbeError?: (error: AicError) => void;
  /** Finds the WebGPU adapter; default: @aic/model-vessel probeWebgpuAdapter (a child process). Tests pass a stub. */
  probeWebgpu?: () => Promise<WebgpuAdapter | null>;
  /** The platform (default process.platform): system_profiler is asked on darwin only. */
  platform?: NodeJS.Platform;
}

/**
 * Describes this machine: NVIDIA GPUs from nvidia-smi when it runs, plus the CPU and RAM from `os`. Without
 * nvidia-smi (or when it fails) the CPU is the only accelerator. Never throws; `measured` is empty until
 * the self-benchmark fills it.
 */
export async function detectHardware(options: DetectHardwareOptions = {}): Promise<HardwareDescriptor> {
  const exec = options.exec ?? execProgram;
  const cpu = describeCpu();
  const memoryBytes = os.totalmem();
  const tools: [string, readonly string[], (stdout: string) => Accelerator[]][] = [
    ['nvidia-smi', NVIDIA_SMI_ARGS, parseNvidiaSmiCsv],
    ['rocm-smi', ROCM_SMI_ARGS, parseRocmSmiJson],
  ];
  if ((options.platform ?? process.platform) === 'darwin') {
    tools.push(['system_profiler', SYSTEM_PROFILER_ARGS, (out) => parseSystemProfilerDisplays(out, memoryBytes)]);
  }
  let gpus: Accelerator[] = [];
  for (const [file, args, parse] of tools) {
    if (gpus.length > 0) break;
    try {
      gpus = parse(await exec(file, args, { timeoutMs: PROBE_TIMEOUT_MS }));
    } catch (error) {
      // Absent, no driver or timed out: the next tool. Garbage from a present tool is reported to the caller.
      if (error instanceof AicError) options.onProbeError?.(error);
    }
  }
  const adapter = await (options.probeWebgpu ?? probeWebgpuAdapter)().catch(() => null);
  const fromAdapter = adapter && gpus.length === 0 ? acceleratorOfAdapter(adapter, memoryBytes) : undefined;
  if (fromAdapter) gpus = [fromAdapter];
  const accelerators: Accelerator[] =
    gpus.length > 0 ? gpus : [{ kind: 'cpu', model: cpu.model, memoryBytes, count: 1 }];
  const backends = options.backends ?? (adapter ? ['cpu', 'wasm', 'webgpu'] : ['cpu', 'wasm']);
  return { accelerators, cpu, memoryBytes, backends, measured: {}, ...(adapter ? { webgpu: adapter } : {}) };
}

function describeCpu(): HardwareDescriptor['cpu'] {
  const model = (os.cpus()[0]?.model ?? '').trim().slice(0, 128);
  return { model: model.length > 0 ? model : 'unknown CPU', cores: Math.max(1, os.availableParallelism()) };
}

const execProgram: ExecProgram = (file, args, { timeoutMs }) =>
  new Promise((resolve, reject) => {
    execFile(file, [...args], { timeout: timeoutMs, maxBuffer: 64 * 1024, windowsHide: true }, (error, stdout) => {
      if (error) reject(error);
      else resolve(stdout);
    });
  });
