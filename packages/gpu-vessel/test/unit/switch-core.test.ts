import { describe, expect, it } from 'vitest';
import {
  initialSwitchState,
  parseComputeAppsCsv,
  parseHashLine,
  parseProcStat,
  parseUtilizationCsv,
  type SwitchEvent,
  type SwitchState,
  stepSwitch,
  switchTimes,
} from '../../src/index.ts';

const config = { ownerThresholdPercent: 10, minDwellMs: 1_000 };

/** Applies `events` at their times; returns the last state and the last step's next check. */
function run(events: [number, SwitchEvent][], start = initialSwitchState(0)) {
  let state: SwitchState = start;
  let next: number | undefined;
  for (const [at, event] of events) {
    const step = stepSwitch(state, event, at, config);
    state = step.state;
    next = step.nextCheckAtMs;
  }
  return { state, next };
}

describe('the switching core', () => {
  it('mines once the miner is up, and a job takes the GPU at once, even inside the dwell', () => {
    const { state } = run([
      [0, { type: 'minerUp' }],
      [10, { type: 'jobStarted' }],
    ]);
    expect(state.mode).toBe('ai');
    expect(state.switches).toBe(2);
    expect(state.jobsStarted).toBe(1);
  });

  it('resumes mining after a job only once the dwell since mining ended has passed', () => {
    const mid = run([
      [0, { type: 'minerUp' }],
      [100, { type: 'jobStarted' }],
      [400, { type: 'jobEnded' }],
    ]);
    expect(mid.state.mode).toBe('ai');
    expect(mid.next).toBe(1_100);
    expect(stepSwitch(mid.state, { type: 'tick' }, 1_099, config).state.mode).toBe('ai');
    const after = stepSwitch(mid.state, { type: 'tick' }, 1_100, config);
    expect(after.changed).toBe(true);
    expect(after.state.mode).toBe('mining');
    // a job that outlasted the dwell hands back at once
    const long = run([
      [0, { type: 'minerUp' }],
      [100, { type: 'jobStarted' }],
      [5_000, { type: 'jobEnded' }],
    ]);
    expect(long.state.mode).toBe('mining');
  });

  it('yields to the owner above the threshold, after the dwell since mining began, and comes back after it', () => {
    const early = run([
      [0, { type: 'minerUp' }],
      [500, { type: 'ownerUtilization', percent: 10 }],
    ]);
    expect(early.state.mode).toBe('mining');
    expect(early.next).toBe(1_000);
    const owner = run([[1_000, { type: 'tick' }]], early.state);
    expect(owner.state.mode).toBe('owner');
    const quiet = run([[1_200, { type: 'ownerUtilization', percent: 9 }]], owner.state);
    expect(quiet.state.mode).toBe('owner');
    expect(quiet.next).toBe(2_000);
    expect(run([[2_000, { type: 'tick' }]], quiet.state).state.mode).toBe('mining');
  });

  it('keeps the owner mode while the owner stays busy, and a job still wins over the owner', () => {
    const owner = run([
      [0, { type: 'minerUp' }],
      [2_000, { type: 'ownerUtilization', percent: 80 }],
      [9_000, { type: 'tick' }],
    ]);
    expect(owner.state.mode).toBe('owner');
    expect(run([[9_001, { type: 'jobStarted' }]], owner.state).state.mode).toBe('ai');
  });

  it('takes the GPU for a hardware-class challenge too, without counting it as a training run', () => {
    const { state } = run([
      [0, { type: 'minerUp' }],
      [10, { type: 'jobStarted', challenge: true }],
    ]);
    expect(state.mode).toBe('ai');
    expect(state.jobsStarted).toBe(0);
    // and back to mining once the dwell since the suspension has passed
    const ended = run([[20, { type: 'jobEnded' }]], state);
    expect(ended.next).toBe(1_010);
    expect(run([[1_010, { type: 'tick' }]], ended.state).state.mode).toBe('mining');
  });

  it('counts overlapping runs: the job mode lasts until the last one ends', () => {
    const { state } = run([
      [0, { type: 'minerUp' }],
      [1, { type: 'jobStarted' }],
      [2, { type: 'jobStarted' }],
      [5_000, { type: 'jobEnded' }],
    ]);
    expect(state.mode).toBe('ai');
    expect(run([[5_001, { type: 'jobEnded' }]], state).state.mode).toBe('mining');
  });

  it('is idle while the miner is down, without waiting for the dwell either way', () => {
    const down = run([
      [0, { type: 'minerUp' }],
      [10, { type: 'minerDown' }],
    ]);
    expect(down.state.mode).toBe('idle');
    // a crash is paced by the restart backoff, not the dwell: back up, it mines at once
    const up = run([[20, { type: 'minerUp' }]], down.state);
    expect(up.state.mode).toBe('mining');
    // but the dwell still runs from a suspension before the crash
    const afterJob = run([
      [0, { type: 'minerUp' }],
      [10, { type: 'jobStarted' }],
      [20, { type: 'minerDown' }],
      [30, { type: 'jobEnded' }],
      [40, { type: 'minerUp' }],
    ]);
    expect(afterJob.state.mode).toBe('idle');
    expect(afterJob.next).toBe(1_010);
  });

  it('reports the time spent in each mode, the current one included', () => {
    const { state } = run([
      [0, { type: 'minerUp' }],
      [3_000, { type: 'jobStarted' }],
      [7_000, { type: 'jobEnded' }],
    ]);
    expect(switchTimes(state, 8_000)).toEqual({ idle: 0, mining: 4_000, ai: 4_000, owner: 0 });
  });
});

describe('the switching parsers', () => {
  it('reads the busiest GPU from nvidia-smi utilization and refuses anything else', () => {
    expect(parseUtilizationCsv('3\n97\n')).toBe(97);
    expect(parseUtilizationCsv(' 0\n')).toBe(0);
    for (const bad of ['', '[N/A]\n', '101\n', 'NVIDIA-SMI has failed']) {
      expect(() => parseUtilizationCsv(bad)).toThrow(expect.objectContaining({ code: 'SWITCH_UTILIZATION_INVALID' }));
    }
  });

  it('reads compute-app pids, none when nvidia-smi says no process runs', () => {
    expect(parseComputeAppsCsv('4242\n977\n')).toEqual([4242, 977]);
    expect(parseComputeAppsCsv('No running processes found\n')).toEqual([]);
  });

  it("reads a miner's hash lines and ignores other output", () => {
    expect(parseHashLine('hashes 1200 at 1764620000000')).toBe(1200);
    expect(parseHashLine('hashes 7')).toBe(7);
    expect(parseHashLine('miner started pid 4')).toBeUndefined();
    expect(parseHashLine('hashes -4')).toBeUndefined();
  });

  it('reads /proc/<pid>/stat, a command name with spaces and parentheses included', () => {
    const line = '42 (my (miner) x) T 1 42 42 0 -1 4194560 0 0 0 0 7 3 0 0 20 0 1 0 100 0 0';
    expect(parseProcStat(line)).toEqual({ pid: 42, state: 'T', ppid: 1, pgrp: 42, cpuTicks: 10 });
    expect(parseProcStat('garbage')).toBeUndefined();
  });
});
