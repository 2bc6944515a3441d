/**
 * The owner's mining program as a child process: any program and arguments, started in its own process group (so a
 * miner that forks helpers is suspended whole), its stdout read for `hashes <n>` lines (the miner's hash count since
 * it started), its stderr drained (a full pipe would block the miner). Suspension is either SIGSTOP/SIGCONT on the
 * group (`signal`: instant, but the miner keeps its GPU memory) or a clean stop and a fresh start (`stop`: SIGTERM,
 * SIGKILL after the bound; frees everything, the miner restarts cold). A suspension is confirmed by the kernel
 * (every process of the group in state 'T', or gone) within `suspendTimeoutMs`; a group that does not stop in time
 * is killed, so an AI job never shares the GPU with the miner.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { AicError, pause } from '@aic/core';
import type { AgentLogger } from '../agent/context.ts';
import { hasProcFs, processGroupMembers, readProcStat } from './proc-state.ts';

/** The agents' logger; the miner's own lines go to `debug` where the logger has it. */
export type SwitchLogger = AgentLogger & { debug?: (obj: object, msg: string) => void };

export type SuspendMethod = 'signal' | 'stop';
export type MinerRunState = 'running' | 'suspended' | 'stopped';

export interface MinerProcessInit {
  command: string;
  args: readonly string[];
  suspend: SuspendMethod;
  /** The bound on a suspension: past it the group is killed. */
  suspendTimeoutMs: number;
  env?: NodeJS.ProcessEnv | undefined;
  log: SwitchLogger;
  /** Hashes the miner reported since the last call (its counter's increase). */
  onHashes?: (delta: number) => void;
  /** The miner exited while it was meant to run or stay suspended (a crash, or killed from outside). */
  onCrash?: (exit: { code: number | null; signal: NodeJS.Signals | null }) => void;
}

/** How a suspension ended: confirmed by the kernel, or the group killed because it was not stopped within the bound. */
export interface SuspendResult {
  ms: number;
  outcome: 'stopped' | 'exited' | 'killed';
}

const HASH_LINE = /^hashes\s+([0-9]{1,18})\b/;
const POLL_MS = 1;
const MAX_LOG_LINE = 300;

/**
 * One line of a miner's stdout as a hash count, or undefined for any other line.
 * @example parseHashLine('hashes 1200 at 1764620000000') // 1200
 */
export function parseHashLine(line: string): number | undefined {
  const match = HASH_LINE.exec(line.trim());
  return match ? Number(match[1]) : undefined;
}

export class MinerProcess {
  #child: ChildProcess | undefined;
  #state: MinerRunState = 'stopped';
  /** The exit we caused (suspend by stop, kill): not a crash. */
  #expectingExit = false;
  #exited: Promise<void> = Promise.resolve();
  #lastCount = 0;
  readonly #killOnExit = () => this.#signalGroup('SIGKILL');

  constructor(private readonly init: MinerProcessInit) {}

  get state(): MinerRunState {
    return this.#state;
  }

  get pid(): number | undefined {
    return this.#state === 'stopped' ? undefined : this.#child?.pid;
  }

  /** The miner's process ids (the whole group on Linux, else the leader). */
  async ownPids(): Promise<Set<number>> {
    const pid = this.pid;
    if (pid === undefined) return new Set();
    const members = await processGroupMembers(pid);
    return new Set([pid, ...members.map((m) => m.pid)]);
  }

  /** Starts the miner (resolves once the process exists); SWITCH_MINER_START_FAILED when it cannot be spawned. */
  async start(): Promise<void> {
    if (this.#state !== 'stopped') return;
    const child = spawn(this.init.command, [...this.init.args], {
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: this.init.env ?? process.env,
    });
    this.#child = child;
    this.#lastCount = 0;
    this.#expectingExit = false;
    this.#exited = new Promise((resolve) => child.once('close', () => resolve()));
    await new Promise<void>((resolve, reject) => {
      child.once('spawn', resolve);
      child.once('error', (cause) =>
        reject(
          new AicError('SWITCH_MINER_START_FAILED', `mining command could not start: ${cause.message}`, {
            cause,
            details: { command: this.init.command.slice(0, 200) },
          }),
        ),
      );
    });
    this.#state = 'running';
    process.once('exit', this.#killOnExit);
    this.#readOutput(child);
    child.once('exit', (code, signal) => this.#onExit(child, code, signal));
  }

  /** Suspends the miner within the bound (see the file comment); a no-op when it is not running. */
  async suspend(): Promise<SuspendResult> {
    const startedAt = performance.now();
    const child = this.#child;
    if (this.#state !== 'running' || child?.pid === undefined) return { ms: 0, outcome: 'stopped' };
    if (this.init.suspend === 'stop') {
      this.#expectingExit = true;
      this.#signalGroup('SIGTERM');
      const exited = await this.#waitExit(this.init.suspendTimeoutMs);
      if (!exited) await this.#killGroup();
      return { ms: performance.now() - startedAt, outcome: exited ? 'exited' : 'killed' };
    }
    this.#signalGroup('SIGSTOP');
    this.#state = 'suspended';
    if (await this.#confirmStopped(child, startedAt + this.init.suspendTimeoutMs)) {
      return { ms: performance.now() - startedAt, outcome: 'stopped' };
    }
    this.init.log.error({ pid: child.pid }, 'miner not stopped within the bound: killed');
    this.#expectingExit = true;
    await this.#killGroup();
    return { ms: performance.now() - startedAt, outcome: 'killed' };
  }

  /** Resumes a suspended miner (SIGCONT, or a fresh start after `stop`); resolves once it runs again. */
  async resume(): Promise<{ ms: number }> {
    const startedAt = performance.now();
    if (this.#state === 'stopped') await this.start();
    else if (this.#state === 'suspended' && this.#child?.pid !== undefined) {
      const pid = this.#child.pid;
      this.#signalGroup('SIGCONT');
      this.#state = 'running';
      // The kernel's word that it left 'T' (immediate in practice); without /proc the signal is trusted.
      const deadline = startedAt + this.init.suspendTimeoutMs;
      while ((await readProcStat(pid))?.state === 'T' && performance.now() < deadline) await pause(POLL_MS);
    }
    return { ms: performance.now() - startedAt };
  }

  /** Ends the miner for good (SIGCONT so a stopped group can act on SIGTERM, SIGKILL after the bound). */
  async kill(): Promise<void> {
    process.removeListener('exit', this.#killOnExit);
    if (this.#state === 'stopped') return;
    this.#expectingExit = true;
    this.#signalGroup('SIGCONT');
    this.#signalGroup('SIGTERM');
    if (!(await this.#waitExit(this.init.suspendTimeoutMs))) await this.#killGroup();
  }

  /** The kernel's word: the leader read and in 'T' (or exited), and every other member of its group in 'T'. An
   * unreadable leader that has not exited is not taken for a stopped one. */
  async #confirmStopped(child: ChildProcess, deadline: number): Promise<boolean> {
    if (!(await hasProcFs())) return true;
    const pgid = child.pid!;
    const stopped = (s: { state: string }) => s.state === 'T' || s.state === 't';
    while (performance.now() < deadline) {
      const leader = await readProcStat(pgid);
      const exited = child.exitCode !== null || child.signalCode !== null;
      if ((leader !== undefined && stopped(leader)) || (leader === undefined && exited)) {
        if ((await processGroupMembers(pgid)).every(stopped)) return true;
      }
      await pause(POLL_MS);
    }
    return false;
  }

  async #killGroup(): Promise<void> {
    this.#signalGroup('SIGKILL');
    await this.#waitExit(this.init.suspendTimeoutMs);
    this.#state = 'stopped';
  }

  /** Waits for the miner to exit; false when it is still there after `ms`. */
  async #waitExit(ms: number): Promise<boolean> {
    // The timer is cancelled once the miner is gone: a stopped agent must not hold its process open.
    const timer = new AbortController();
    const exited = this.#exited.then(() => true);
    const timeout = pause(ms, timer.signal).then(() => false);
    try {
      return await Promise.race([exited, timeout]);
    } finally {
      timer.abort();
    }
  }

  #signalGroup(signal: NodeJS.Signals): void {
    const pid = this.#child?.pid;
    if (pid === undefined || this.#state === 'stopped') return;
    try {
      process.kill(-pid, signal);
    } catch {
      // gone already: the exit handler records it
    }
  }

  #readOutput(child: ChildProcess): void {
    const { log } = this.init;
    if (child.stdout) {
      createInterface({ input: child.stdout }).on('line', (line) => {
        const count = parseHashLine(line);
        if (count === undefined) return log.debug?.({ line: line.slice(0, MAX_LOG_LINE) }, 'miner');
        // A counter below the last one is a restarted count (the miner's own restart): take it whole.
        const delta = count >= this.#lastCount ? count - this.#lastCount : count;
        this.#lastCount = count;
        if (delta > 0) this.init.onHashes?.(delta);
      });
    }
    if (child.stderr) {
      createInterface({ input: child.stderr }).on('line', (line) =>
        log.debug?.({ line: line.slice(0, MAX_LOG_LINE) }, 'miner stderr'),
      );
    }
  }

  #onExit(child: ChildProcess, code: number | null, signal: NodeJS.Signals | null): void {
    if (this.#child !== child) return;
    process.removeListener('exit', this.#killOnExit);
    this.#state = 'stopped';
    if (this.#expectingExit) return;
    this.init.log.warn({ code, signal, pid: child.pid }, 'miner exited');
    this.init.onCrash?.({ code, signal });
  }
}
