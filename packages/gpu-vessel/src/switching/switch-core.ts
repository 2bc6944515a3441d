/**
 * Multi-task switching (white paper Fig. 11), the pure core: which of its modes the GPU is in — an AI job, the
 * owner's own mining program, the owner's own use, or idle — from the events that decide it (a job's training
 * started or ended, the owner's GPU utilization, the miner up or down) and the clock passed in. No I/O, no timers:
 * the adapter (`switching-agent.ts`) feeds events, runs or suspends the miner as the mode says, and calls `tick` at
 * `nextCheckAtMs`.
 *
 * Rules: a job always wins at once (it is paid and has a deadline); with no job, the owner's own use above the
 * threshold beats mining; mining runs otherwise, if the miner is up. The minimum dwell keeps mining ↔ owner from
 * flapping: the miner is not resumed sooner than `minDwellMs` after it was suspended, nor suspended for the owner
 * sooner than `minDwellMs` after it resumed. Neither a job nor a miner crash ever waits for the dwell.
 */

export const SWITCH_MODES = ['ai', 'mining', 'owner', 'idle'] as const;
export type SwitchMode = (typeof SWITCH_MODES)[number];

export interface SwitchConfig {
  /** The owner's GPU utilization (percent) at or above which mining yields to the owner. */
  readonly ownerThresholdPercent: number;
  readonly minDwellMs: number;
}

export interface SwitchState {
  readonly mode: SwitchMode;
  /** When the current mode began. */
  readonly sinceMs: number;
  /** AI work in progress: training runs (a job retried after a failure counts once at a time) and challenges. */
  readonly jobsRunning: number;
  readonly ownerBusy: boolean;
  readonly lastOwnerPercent: number | undefined;
  readonly minerUp: boolean;
  /** Time spent in each mode before the current one began. */
  readonly timeMs: Readonly<Record<SwitchMode, number>>;
  /** When mining last ended (the miner suspended or stopped), for the dwell before it resumes. */
  readonly miningEndedMs: number | undefined;
  /** Mode changes so far. */
  readonly switches: number;
  /** Training runs started so far. */
  readonly jobsStarted: number;
}

export type SwitchEvent =
  /** AI work takes the GPU: a job's training run, or (`challenge`) the answer to a hardware-class challenge, which
   * must prove the GPU's speed without the miner on it. */
  | { readonly type: 'jobStarted'; readonly challenge?: boolean }
  | { readonly type: 'jobEnded' }
  | { readonly type: 'ownerUtilization'; readonly percent: number }
  | { readonly type: 'minerUp' }
  | { readonly type: 'minerDown' }
  | { readonly type: 'tick' };

export interface SwitchStep {
  readonly state: SwitchState;
  /** Whether the mode changed with this event. */
  readonly changed: boolean;
  /** When a switch the dwell holds back becomes due (call `tick` then); undefined when none waits. */
  readonly nextCheckAtMs: number | undefined;
}

/** The state a freshly started agent is in: idle until the miner is up (no job, the owner's use not yet known). */
export function initialSwitchState(nowMs: number): SwitchState {
  return {
    mode: 'idle',
    sinceMs: nowMs,
    jobsRunning: 0,
    ownerBusy: false,
    lastOwnerPercent: undefined,
    minerUp: false,
    timeMs: { ai: 0, mining: 0, owner: 0, idle: 0 },
    miningEndedMs: undefined,
    switches: 0,
    jobsStarted: 0,
  };
}

/** Applies one event at `nowMs`: the inputs change, then the mode follows the rules above. */
export function stepSwitch(state: SwitchState, event: SwitchEvent, nowMs: number, config: SwitchConfig): SwitchStep {
  const inputs = applyInputs(state, event, config);
  const wanted = wantedMode(inputs);
  const heldUntil = wanted === inputs.mode ? undefined : dwellEndMs(inputs, wanted, config);
  if (wanted === inputs.mode) return { state: inputs, changed: false, nextCheckAtMs: undefined };
  if (heldUntil !== undefined && nowMs < heldUntil) return { state: inputs, changed: false, nextCheckAtMs: heldUntil };
  return { state: enterMode(inputs, wanted, nowMs), changed: true, nextCheckAtMs: undefined };
}

/** Time in each mode up to `nowMs`, the current one included. */
export function switchTimes(state: SwitchState, nowMs: number): Record<SwitchMode, number> {
  const times = { ...state.timeMs };
  times[state.mode] += Math.max(0, nowMs - state.sinceMs);
  return times;
}

/** Whether the miner should be running in `mode` (only in mining: suspended for a job, the owner, or idle). */
export function minerRunsIn(mode: SwitchMode): boolean {
  return mode === 'mining';
}

function applyInputs(state: SwitchState, event: SwitchEvent, config: SwitchConfig): SwitchState {
  switch (event.type) {
    case 'jobStarted':
      return {
        ...state,
        jobsRunning: state.jobsRunning + 1,
        jobsStarted: state.jobsStarted + (event.challenge ? 0 : 1),
      };
    case 'jobEnded':
      return { ...state, jobsRunning: Math.max(0, state.jobsRunning - 1) };
    case 'ownerUtilization':
      return {
        ...state,
        lastOwnerPercent: event.percent,
        ownerBusy: event.percent >= config.ownerThresholdPercent,
      };
    case 'minerUp':
      return { ...state, minerUp: true };
    case 'minerDown':
      return { ...state, minerUp: false };
    case 'tick':
      return state;
  }
}

function wantedMode(s: SwitchState): SwitchMode {
  if (s.jobsRunning > 0) return 'ai';
  if (s.ownerBusy) return 'owner';
  return s.minerUp ? 'mining' : 'idle';
}

/** When the dwell lets the switch from the current mode to `to` happen; undefined = at once. */
function dwellEndMs(s: SwitchState, to: SwitchMode, config: SwitchConfig): number | undefined {
  if (to === 'mining' && s.miningEndedMs !== undefined) return s.miningEndedMs + config.minDwellMs;
  if (s.mode === 'mining' && to === 'owner') return s.sinceMs + config.minDwellMs;
  return undefined;
}

function enterMode(s: SwitchState, to: SwitchMode, nowMs: number): SwitchState {
  return {
    ...s,
    mode: to,
    sinceMs: nowMs,
    timeMs: switchTimes(s, nowMs),
    // A crash (mining → idle) is no switch the dwell guards against: the restart backoff paces it.
    miningEndedMs: s.mode === 'mining' && to !== 'idle' ? nowMs : s.miningEndedMs,
    switches: s.switches + 1,
  };
}
