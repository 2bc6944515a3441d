/**
 * Multi-task switching (white paper Fig. 11), the adapter around the pure core (`switch-core.ts`): it runs the
 * owner's mining command while no AI job trains and the owner's own GPU use is below the threshold, suspends it
 * before a job's training starts (the worker waits for the kernel's confirmation, so the two never run together),
 * resumes it after, yields to the owner's use, and restarts a crashed miner with backoff — a miner's crash is only
 * logged and never reaches a job. The provider agent drives it through its training runner (`gateRunner`): the
 * runner is where a job's use of the GPU begins and ends, for every attempt, resume and reassignment alike.
 */
import { pause } from '@aic/core';
import { DEFAULT_PRESET } from '@aic/core/params';
import type { TrainingRunner } from '../agent/provider-agent.ts';
import { createSerialQueue } from '../chain/serial.ts';
import { MinerProcess, type SuspendMethod, type SwitchLogger } from './miner-process.ts';
import {
  initialSwitchState,
  minerRunsIn,
  type SwitchConfig,
  type SwitchEvent,
  type SwitchMode,
  type SwitchState,
  stepSwitch,
  switchTimes,
} from './switch-core.ts';
import type { UtilizationSource } from './utilization.ts';

export interface SwitchingInit {
  /** The mining program and its arguments (any program; no shell). */
  command: string;
  args?: readonly string[];
  suspend?: SuspendMethod;
  ownerThresholdPercent?: number;
  minDwellMs?: number;
  /** How often the owner's use is sampled. */
  sampleIntervalMs?: number;
  /** The bound on one suspension (past it the miner is killed). */
  suspendTimeoutMs?: number;
  /** First wait before restarting a crashed miner; doubled per crash in a row, at most `restartMaxMs`. */
  restartBaseMs?: number;
  restartMaxMs?: number;
  env?: NodeJS.ProcessEnv;
}

export interface SwitchingComponents {
  log: SwitchLogger;
  utilization: UtilizationSource;
  /** AI earnings from settled jobs (`ai-earnings.ts`); absent without a chain. */
  aiEarnings?: () => { jobsSettled: number; earnedWei: bigint };
  now?: () => number;
}

export interface SwitchingStatus {
  mode: SwitchMode;
  sinceMs: number;
  suspend: SuspendMethod;
  ownerThresholdPercent: number;
  minDwellMs: number;
  ownerUtilizationPercent: number | undefined;
  timeMs: Record<SwitchMode, number>;
  switches: number;
  jobsStarted: number;
  jobsRunning: number;
  miner: {
    state: 'running' | 'suspended' | 'stopped' | 'restarting';
    pid: number | undefined;
    hashes: number;
    crashes: number;
    suspensions: number;
    lastSuspendMs: number | undefined;
    lastResumeMs: number | undefined;
  };
  ai: { jobsSettled: number; earnedWei: bigint } | undefined;
}

export class SwitchingAgent {
  readonly #config: Required<Omit<SwitchingInit, 'env' | 'args'>> & { args: readonly string[] };
  readonly #miner: MinerProcess;
  readonly #serial = createSerialQueue();
  readonly #now: () => number;
  readonly #stop = new AbortController();
  #state: SwitchState;
  #tickTimer: ReturnType<typeof setTimeout> | undefined;
  #restartTimer: ReturnType<typeof setTimeout> | undefined;
  #sampling: Promise<void> | undefined;
  #hashes = 0;
  #crashes = 0;
  #crashesInRow = 0;
  #suspensions = 0;
  #lastSuspendMs: number | undefined;
  #lastResumeMs: number | undefined;

  constructor(
    init: SwitchingInit,
    private readonly c: SwitchingComponents,
  ) {
    const preset = DEFAULT_PRESET.mining;
    this.#config = {
      command: init.command,
      args: init.args ?? [],
      suspend: init.suspend ?? preset.suspend,
      ownerThresholdPercent: init.ownerThresholdPercent ?? preset.ownerThresholdPercent,
      minDwellMs: init.minDwellMs ?? preset.minDwellMs,
      sampleIntervalMs: init.sampleIntervalMs ?? preset.sampleIntervalMs,
      suspendTimeoutMs: init.suspendTimeoutMs ?? preset.suspendTimeoutMs,
      restartBaseMs: init.restartBaseMs ?? preset.restartBaseMs,
      restartMaxMs: init.restartMaxMs ?? preset.restartMaxMs,
    };
    this.#now = c.now ?? Date.now;
    this.#state = initialSwitchState(this.#now());
    this.#miner = new MinerProcess({
      command: this.#config.command,
      args: this.#config.args,
      suspend: this.#config.suspend,
      suspendTimeoutMs: this.#config.suspendTimeoutMs,
      env: init.env,
      log: c.log,
      onHashes: (delta) => {
        this.#hashes += delta;
        this.#crashesInRow = 0; // it works again
      },
      onCrash: (exit) => this.#onCrash(exit),
    });
  }

  /** Starts mining (unless a job or the owner's use says otherwise) and the owner-use sampling. */
  async start(): Promise<void> {
    await this.#feed({ type: 'minerUp' });
    this.#sampling = this.#sampleLoop();
  }

  /** Stops sampling and timers and ends the miner (bounded by the suspension bound). */
  async stop(): Promise<void> {
    this.#stop.abort();
    clearTimeout(this.#tickTimer);
    clearTimeout(this.#restartTimer);
    await this.#sampling;
    await this.#serial(() => this.#miner.kill());
  }

  /** `runner` with the GPU handed over around each run: the miner suspended (confirmed) before, resumed after. */
  gateRunner(runner: TrainingRunner): TrainingRunner {
    return async (init, hooks) => await this.runJob(() => runner(init, hooks));
  }

  /** Runs `job` with the miner suspended: resolves to its result; the miner resumes after, in the background.
   * `challenge`: a hardware-class challenge's work (the GPU's speed is proven without the miner on it), counted in
   * the ai mode's time but not as a training run. */
  async runJob<T>(job: () => Promise<T>, options: { challenge?: boolean } = {}): Promise<T> {
    await this.#feed({ type: 'jobStarted', ...(options.challenge ? { challenge: true } : {}) });
    try {
      return await job();
    } finally {
      void this.#feed({ type: 'jobEnded' });
    }
  }

  status(): SwitchingStatus {
    const s = this.#state;
    const restarting = this.#restartTimer !== undefined && this.#miner.state === 'stopped' && !s.minerUp;
    return {
      mode: s.mode,
      sinceMs: s.sinceMs,
      suspend: this.#config.suspend,
      ownerThresholdPercent: this.#config.ownerThresholdPercent,
      minDwellMs: this.#config.minDwellMs,
      ownerUtilizationPercent: s.lastOwnerPercent,
      timeMs: switchTimes(s, this.#now()),
      switches: s.switches,
      jobsStarted: s.jobsStarted,
      jobsRunning: s.jobsRunning,
      miner: {
        state: restarting ? 'restarting' : this.#miner.state,
        pid: this.#miner.pid,
        hashes: this.#hashes,
        crashes: this.#crashes,
        suspensions: this.#suspensions,
        lastSuspendMs: this.#lastSuspendMs,
        lastResumeMs: this.#lastResumeMs,
      },
      ai: this.c.aiEarnings?.(),
    };
  }

  /** Applies an event to the core and brings the miner in line with the mode (serially; resolves once it is). */
  #feed(event: SwitchEvent): Promise<void> {
    const config: SwitchConfig = this.#config;
    const before = this.#state.mode;
    const step = stepSwitch(this.#state, event, this.#now(), config);
    this.#state = step.state;
    clearTimeout(this.#tickTimer);
    this.#tickTimer = undefined;
    if (step.nextCheckAtMs !== undefined && !this.#stop.signal.aborted) {
      const wait = Math.max(0, step.nextCheckAtMs - this.#now());
      this.#tickTimer = setTimeout(() => void this.#feed({ type: 'tick' }), wait);
    }
    if (step.changed) this.c.log.info({ from: before, to: step.state.mode }, `switching: ${step.state.mode}`);
    return this.#serial(() => this.#reconcile());
  }

  /** Suspends or resumes the miner as the current mode says; a miner that cannot start counts as a crash. */
  async #reconcile(): Promise<void> {
    if (this.#stop.signal.aborted) return;
    const wantRunning = minerRunsIn(this.#state.mode);
    const miner = this.#miner;
    if (!wantRunning && miner.state === 'running') {
      const result = await miner.suspend();
      this.#suspensions++;
      this.#lastSuspendMs = result.ms;
      this.c.log.info({ ms: Math.round(result.ms), outcome: result.outcome }, 'miner suspended');
    } else if (wantRunning && miner.state !== 'running') {
      try {
        const { ms } = await miner.resume();
        this.#lastResumeMs = ms;
        this.c.log.info({ ms: Math.round(ms), pid: miner.pid }, 'miner running');
      } catch (error) {
        this.#onCrash({ code: null, signal: null, error });
      }
    }
  }

  #onCrash(exit: { code: number | null; signal: NodeJS.Signals | null; error?: unknown }): void {
    this.#crashes++;
    const waitMs = Math.min(this.#config.restartMaxMs, this.#config.restartBaseMs * 2 ** this.#crashesInRow);
    this.#crashesInRow++;
    const err = exit.error instanceof Error ? exit.error.message : undefined;
    this.c.log.warn(
      { code: exit.code, signal: exit.signal, err, restartInMs: waitMs },
      'miner down: restart after backoff',
    );
    void this.#feed({ type: 'minerDown' });
    clearTimeout(this.#restartTimer);
    if (this.#stop.signal.aborted) return;
    this.#restartTimer = setTimeout(() => {
      this.#restartTimer = undefined;
      void this.#feed({ type: 'minerUp' });
    }, waitMs);
  }

  async #sampleLoop(): Promise<void> {
    const signal = this.#stop.signal;
    while (!signal.aborted) {
      // During a job the GPU's use is the job's own: the owner's is sampled again once it ends.
      if (this.#state.mode !== 'ai') {
        const minerRunning = this.#miner.state === 'running';
        const ownPids = await this.#miner.ownPids();
        const percent = await this.c.utilization({ minerRunning, ownPids }).catch(() => undefined);
        if (percent !== undefined && !signal.aborted) await this.#feed({ type: 'ownerUtilization', percent });
      }
      await pause(this.#config.sampleIntervalMs, signal);
    }
  }
}
