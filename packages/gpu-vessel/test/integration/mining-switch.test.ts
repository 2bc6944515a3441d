/**
 * Multi-task switching with real processes: the switching agent runs the stand-in miner (a real program that hashes
 * and reports, with a helper process in its group), and a real training job in the sandboxed worker process takes
 * the machine through the agent's gate. The kernel is the witness that the two never run together: while the job
 * trains, every process of the miner's group is in state 'T' (/proc/<pid>/stat) and uses no CPU time, and the
 * miner's own counter (its state file) does not move; after the job it runs and counts again. Also: yielding to the
 * owner's use, a miner killed mid-job (the job's result is unchanged, the miner restarted after), and the clean
 * stop/restart method.
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { irisTemplate } from '@aic/model-vessel';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  processGroupMembers,
  type SuspendMethod,
  SwitchingAgent,
  type TrainingRunner,
  workerTrainingRunner,
} from '../../src/index.ts';
import { writeDatasetFile } from '../helpers/dataset-file.ts';
import { irisSpec } from '../helpers/iris-job.ts';

const MINER = fileURLToPath(new URL('../helpers/stand-in-miner.mjs', import.meta.url));
const SUSPEND_BOUND_MS = 2_000;
const dirs: string[] = [];
const agents: SwitchingAgent[] = [];
let irisFile: string;
let irisRows: number;

const newDir = async () => {
  const dir = await mkdtemp(join(tmpdir(), 'aic-switch-'));
  dirs.push(dir);
  return dir;
};

const lines: string[] = [];
const log = {
  info: (o: object, m: string) => lines.push(`${m} ${JSON.stringify(o)}`),
  warn: (o: object, m: string) => lines.push(`WARN ${m} ${JSON.stringify(o)}`),
  error: (o: object, m: string) => lines.push(`ERROR ${m} ${JSON.stringify(o)}`),
};

/** Polls `check` every 20 ms until it returns a value, failing after `ms` with what the agent logged. */
async function eventually<T>(what: string, check: () => Promise<T | undefined> | T | undefined, ms = 15_000) {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    const value = await check();
    if (value !== undefined) return value;
    await new Promise((r) => setTimeout(r, 20));
  }
  throw new Error(`timed out waiting for ${what}\n${lines.slice(-20).join('\n')}`);
}

async function minerCounter(file: string): Promise<{ pid: number; hashes: number; at: number } | undefined> {
  try {
    return JSON.parse(await readFile(file, 'utf8'));
  } catch {
    return undefined; // not written yet, or caught mid-write
  }
}

async function startAgent(o: { suspend: SuspendMethod; owner?: { percent: number } }) {
  const stateFile = join(await newDir(), 'miner.json');
  const owner = o.owner ?? { percent: 0 };
  const agent = new SwitchingAgent(
    {
      command: process.execPath,
      args: [MINER, 'report=50', 'duty=0.3', 'helpers=1', `state=${stateFile}`],
      suspend: o.suspend,
      ownerThresholdPercent: 10,
      minDwellMs: 300,
      sampleIntervalMs: 50,
      suspendTimeoutMs: SUSPEND_BOUND_MS,
      restartBaseMs: 100,
      restartMaxMs: 1_000,
    },
    { log, utilization: async () => owner.percent },
  );
  agents.push(agent);
  await agent.start();
  return { agent, stateFile, owner };
}

/** The miner's counter advancing twice: it runs (and reports) now. */
async function minerAdvances(stateFile: string) {
  const first = await eventually('a miner report', () => minerCounter(stateFile));
  return await eventually('the miner counting', async () => {
    const now = await minerCounter(stateFile);
    return now && now.hashes > first.hashes && now.at > first.at ? now : undefined;
  });
}

/** Group members' states and CPU time, sampled while the job trains. */
async function groupSnapshot(pgid: number, stateFile?: string) {
  const members = await processGroupMembers(pgid);
  const counter = stateFile === undefined ? undefined : (await minerCounter(stateFile))?.hashes;
  return { states: members.map((m) => m.state), cpuTicks: members.reduce((sum, m) => sum + m.cpuTicks, 0), counter };
}

/** A real training run (Iris in the worker process) through the agent's gate, sampling the miner on each report. */
async function trainThroughGate(agent: SwitchingAgent, stateFile: string, onFirstProgress?: () => Promise<void>) {
  const pgid = agent.status().miner.pid;
  const samples: ReturnType<typeof groupSnapshot>[] = [];
  let first: Promise<void> | undefined;
  const worker = workerTrainingRunner({ memoryMiB: 256, timeoutMs: 120_000 });
  // The samples are finished inside the gate: one still reading after the job ended would see the miner resumed.
  const sampled: TrainingRunner = async (init, hooks) => {
    const result = await worker(init, hooks);
    await first;
    await Promise.all(samples);
    return result;
  };
  const result = await agent.gateRunner(sampled)(
    {
      spec: irisSpec({ seed: 3, commitEverySteps: 40, epochs: 60 }),
      dataset: { shards: [irisFile], rows: irisRows },
      checkpointDir: await newDir(),
    },
    {
      signal: new AbortController().signal,
      onProgress: () => {
        first ??= onFirstProgress?.() ?? Promise.resolve();
        if (pgid !== undefined) samples.push(groupSnapshot(pgid, stateFile));
      },
      onCheckpoint: () => undefined,
    },
  );
  return { result, samples: await Promise.all(samples) };
}

beforeAll(async () => {
  const train = (await irisTemplate.loadData()).train;
  irisRows = train.count;
  irisFile = await writeDatasetFile(train, join(await newDir(), 'iris.safetensors'));
});

afterAll(async () => {
  await Promise.all(agents.map((a) => a.stop()));
  await Promise.all(dirs.map((d) => rm(d, { recursive: true, force: true })));
});

describe('multi-task switching with a real miner and a real training job', () => {
  let rootOfUndisturbedRun: string;

  it('suspends the miner (SIGSTOP, confirmed) before the job trains, never runs both, and resumes it after', async () => {
    const { agent, stateFile } = await startAgent({ suspend: 'signal' });
    await minerAdvances(stateFile);
    const pgid = agent.status().miner.pid!;
    expect((await processGroupMembers(pgid)).length).toBe(2); // the miner and its helper

    const { result, samples } = await trainThroughGate(agent, stateFile);
    rootOfUndisturbedRun = result.commitmentRoot;

    expect(samples.length).toBeGreaterThan(3);
    for (const s of samples) expect(s.states).toEqual(['T', 'T']);
    // The kernel's CPU accounting: not one tick for the miner's group while the job trained.
    expect(new Set(samples.map((s) => s.cpuTicks)).size).toBe(1);
    // The miner's own counter (its state file) stood still from the first report of the job to its end.
    expect(new Set(samples.map((s) => s.counter)).size, JSON.stringify(samples)).toBe(1);
    const during = samples.at(-1)?.counter;
    expect(during).toBeGreaterThan(0);
    const status = agent.status();
    expect(status.miner.lastSuspendMs).toBeLessThan(SUSPEND_BOUND_MS);
    expect(status.jobsStarted).toBe(1);

    // After the job (and the dwell): the same miner process counts again.
    const resumed = await minerAdvances(stateFile);
    expect(resumed.pid).toBe(pgid);
    expect(resumed.hashes).toBeGreaterThan(during ?? 0);
    await eventually('mining mode', () => (agent.status().mode === 'mining' ? true : undefined));
    const report = agent.status();
    expect(report.timeMs.ai).toBeGreaterThan(0);
    expect(report.timeMs.mining).toBeGreaterThan(0);
    expect(report.miner.hashes).toBeGreaterThan(0);
    expect(report.miner.crashes).toBe(0);
    await agent.stop();
    expect(await processGroupMembers(pgid)).toEqual([]);
  }, 120_000);

  it("yields to the owner's own use above the threshold and mines again once it drops", async () => {
    const { agent, stateFile, owner } = await startAgent({ suspend: 'signal' });
    await minerAdvances(stateFile);
    const pgid = agent.status().miner.pid!;
    owner.percent = 60;
    await eventually('owner mode', () => (agent.status().mode === 'owner' ? true : undefined));
    await eventually('the miner stopped', async () =>
      (await groupSnapshot(pgid)).states.every((s) => s === 'T') ? true : undefined,
    );
    expect(agent.status().ownerUtilizationPercent).toBe(60);
    owner.percent = 2;
    await eventually('mining again', () => (agent.status().mode === 'mining' ? true : undefined));
    await minerAdvances(stateFile);
    expect(agent.status().timeMs.owner).toBeGreaterThan(0);
    await agent.stop();
  }, 60_000);

  it('a miner killed mid-job leaves the job untouched, and is restarted with backoff once the job is done', async () => {
    const { agent, stateFile } = await startAgent({ suspend: 'signal' });
    await minerAdvances(stateFile);
    const pgid = agent.status().miner.pid!;
    const { result } = await trainThroughGate(agent, stateFile, async () => {
      process.kill(-pgid, 'SIGKILL');
      await eventually('the miner gone', async () =>
        (await processGroupMembers(pgid)).length === 0 ? true : undefined,
      );
    });
    // The same job trained to the same commitments as the undisturbed run.
    expect(result.commitmentRoot).toBe(rootOfUndisturbedRun);
    const restarted = await eventually('a new miner counting', async () => {
      const now = await minerCounter(stateFile);
      return now && now.pid !== pgid && now.hashes > 0 ? now : undefined;
    });
    expect(restarted.pid).toBe(agent.status().miner.pid);
    expect(agent.status().miner.crashes).toBe(1);
    expect(lines.some((l) => l.includes('miner down: restart after backoff'))).toBe(true);
    await agent.stop();
  }, 120_000);

  it('a mining command that cannot start leaves the agent idle, retrying with backoff, and jobs still run', async () => {
    const agent = new SwitchingAgent(
      { command: join(tmpdir(), 'no-such-miner-program'), restartBaseMs: 50, restartMaxMs: 200, minDwellMs: 0 },
      { log, utilization: async () => undefined },
    );
    agents.push(agent);
    await agent.start();
    await eventually('two failed starts', () => (agent.status().miner.crashes >= 2 ? true : undefined));
    expect(agent.status().mode).toBe('idle');
    expect(await agent.runJob(async () => 'trained')).toBe('trained');
    expect(lines.some((l) => l.includes('SWITCH_MINER_START_FAILED') || l.includes('could not start'))).toBe(true);
    await agent.stop();
  });

  it('with the stop method, ends the miner for the job and starts it afresh after', async () => {
    const { agent, stateFile } = await startAgent({ suspend: 'stop' });
    await minerAdvances(stateFile);
    const pgid = agent.status().miner.pid!;
    const { samples } = await trainThroughGate(agent, stateFile);
    // the group was gone for the whole run
    for (const s of samples) expect(s.states).toEqual([]);
    expect(agent.status().miner.lastSuspendMs).toBeLessThan(SUSPEND_BOUND_MS);
    const fresh = await eventually('a fresh miner', async () => {
      const now = await minerCounter(stateFile);
      return now && now.pid !== pgid ? now : undefined;
    });
    expect(fresh.pid).toBe(agent.status().miner.pid);
    expect(agent.status().miner.crashes).toBe(0);
    await agent.stop();
  }, 120_000);
});
