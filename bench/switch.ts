/**
 * `npm run bench -- switch [switches]`: how fast multi-task switching hands the machine from the miner to a job and
 * back, over many switches of the real adapter (the GPU Vessel's SwitchingAgent) with the stand-in miner (a real
 * process group: the miner and a helper, hashing).
 * - suspend: from a job's arrival at the agent's gate to the job starting, the miner's whole group confirmed stopped
 *   by the kernel (/proc state 'T'); with `stop`, until the miner has exited.
 * - resume: from the job's end until the miner runs again (its leader out of 'T'; with `stop`, a new process).
 * Baseline in the same run: a bare kill(SIGSTOP) on the group and a poll of the leader's /proc state, and back.
 * Goal: suspendP99Ms and resumeP99Ms ≤ 2,000 (the suspension bound of the preset). Last line: one JSON object.
 */
import '@aic/core/polyfills';
import { spawn } from 'node:child_process';
import { loadavg } from 'node:os';
import { fileURLToPath } from 'node:url';
import { pause } from '../packages/core/src/index.ts';
import { readProcStat, type SuspendMethod, SwitchingAgent } from '../packages/gpu-vessel/src/index.ts';

const SWITCHES = Number(process.argv[2] ?? 200);
const STOP_SWITCHES = Math.max(5, Math.round(SWITCHES / 10));
const MINE_BETWEEN_MS = 20;
const MINER = fileURLToPath(new URL('../packages/gpu-vessel/test/helpers/stand-in-miner.mjs', import.meta.url));
const MINER_ARGS = [MINER, 'report=50', 'duty=0.5', 'helpers=1'];
const quiet = { info: () => undefined, warn: () => undefined, error: (o: object, m: string) => console.error(m, o) };

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? Number.NaN;
}

const round = (ms: number) => Math.round(ms * 100) / 100;

async function until(what: string, check: () => Promise<boolean> | boolean, ms = 10_000): Promise<void> {
  const deadline = performance.now() + ms;
  while (!(await check())) {
    if (performance.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await pause(1);
  }
}

/** Switches through the agent's gate: `count` jobs, each on a miner that mined for a moment before. */
async function agentSwitches(suspend: SuspendMethod, count: number) {
  const agent = new SwitchingAgent(
    { command: process.execPath, args: MINER_ARGS, suspend, minDwellMs: 0, sampleIntervalMs: 60_000 },
    { log: quiet, utilization: async () => undefined },
  );
  await agent.start();
  const suspendMs: number[] = [];
  const resumeMs: number[] = [];
  try {
    await until('the miner running', () => agent.status().miner.state === 'running');
    for (let i = 0; i < count; i++) {
      await pause(MINE_BETWEEN_MS);
      const arrived = performance.now();
      await agent.runJob(async () => {
        suspendMs.push(performance.now() - arrived);
      });
      const ended = performance.now();
      await until('the miner running again', async () => {
        const pid = agent.status().miner.pid;
        if (agent.status().miner.state !== 'running' || pid === undefined) return false;
        return (await readProcStat(pid))?.state !== 'T';
      });
      resumeMs.push(performance.now() - ended);
    }
  } finally {
    await agent.stop();
  }
  return { suspendMs, resumeMs, crashes: agent.status().miner.crashes };
}

/** The bare mechanism: SIGSTOP the group, poll the leader's state; SIGCONT, poll again. */
async function baselineSwitches(count: number) {
  const child = spawn(process.execPath, MINER_ARGS, { detached: true, stdio: ['ignore', 'ignore', 'ignore'] });
  await new Promise((resolve) => child.once('spawn', resolve));
  const pid = child.pid!;
  const suspendMs: number[] = [];
  const resumeMs: number[] = [];
  try {
    for (let i = 0; i < count; i++) {
      await pause(MINE_BETWEEN_MS);
      let t = performance.now();
      process.kill(-pid, 'SIGSTOP');
      while ((await readProcStat(pid))?.state !== 'T') await pause(0);
      suspendMs.push(performance.now() - t);
      t = performance.now();
      process.kill(-pid, 'SIGCONT');
      while ((await readProcStat(pid))?.state === 'T') await pause(0);
      resumeMs.push(performance.now() - t);
    }
  } finally {
    process.kill(-pid, 'SIGKILL');
  }
  return { suspendMs, resumeMs };
}

function describe(name: string, r: { suspendMs: number[]; resumeMs: number[] }): string {
  const f = (v: number[]) =>
    `p50 ${round(percentile(v, 50))} ms, p99 ${round(percentile(v, 99))} ms, max ${round(Math.max(...v))} ms`;
  return `${name.padEnd(9)} ${r.suspendMs.length} switches — suspend ${f(r.suspendMs)}; resume ${f(r.resumeMs)}`;
}

const loadBefore = loadavg()[0] ?? 0;
const signal = await agentSwitches('signal', SWITCHES);
console.log(describe('signal', signal));
const stop = await agentSwitches('stop', STOP_SWITCHES);
console.log(describe('stop', stop));
const baseline = await baselineSwitches(SWITCHES);
console.log(describe('baseline', baseline));
console.log(
  JSON.stringify({
    bench: 'switch',
    switches: SWITCHES,
    suspendP50Ms: round(percentile(signal.suspendMs, 50)),
    suspendP99Ms: round(percentile(signal.suspendMs, 99)),
    resumeP50Ms: round(percentile(signal.resumeMs, 50)),
    resumeP99Ms: round(percentile(signal.resumeMs, 99)),
    stopSwitches: STOP_SWITCHES,
    stopSuspendP99Ms: round(percentile(stop.suspendMs, 99)),
    stopResumeP99Ms: round(percentile(stop.resumeMs, 99)),
    baselineSuspendP99Ms: round(percentile(baseline.suspendMs, 99)),
    baselineResumeP99Ms: round(percentile(baseline.resumeMs, 99)),
    goalMs: 2_000,
    minerCrashes: signal.crashes + stop.crashes,
    load1Before: round(loadBefore),
    load1After: round(loadavg()[0] ?? 0),
  }),
);
