/**
 * Multi-task switching (issue 16) in the running system: both GPU Vessels of a job network start with
 * `--mining-command` (the stand-in miner: a real program that hashes and writes its own counter to a file). They mine
 * while idle; the provider the coordinator assigns the job suspends its miner before its training worker starts
 * (the kernel shows the miner in state 'T' and its counter stands still while the node reports mode 'ai'), trains,
 * commits, and mines again after; its `GET /v1/provider/switching` reports the time in each mode and the AI earnings
 * once the job settled.
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { type JobNetwork, startJobNetwork } from '../../src/job-network.ts';
import { nodeApi } from '../../src/node-api.ts';
import { runTestJob } from '../helpers/run-job.ts';

const MINER = fileURLToPath(
  new URL('../../../../packages/gpu-vessel/test/helpers/stand-in-miner.mjs', import.meta.url),
);
const PROVIDERS = [1, 2];

async function procState(pid: number): Promise<string | undefined> {
  try {
    const stat = await readFile(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3);
  } catch {
    return undefined;
  }
}

async function minerCounter(file: string): Promise<number | undefined> {
  try {
    return (JSON.parse(await readFile(file, 'utf8')) as { hashes: number }).hashes;
  } catch {
    return undefined;
  }
}

describe('multi-task switching on the providers of a job network', () => {
  let net: JobNetwork | undefined;
  let dir: string | undefined;
  afterAll(async () => {
    await net?.close();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('mines while idle, suspends the miner for the assigned job, resumes it after, and reports time and earnings per mode', async () => {
    dir = await mkdtemp(join(tmpdir(), 'aic-mining-'));
    const stateFileOf = (i: number) => join(dir!, `stand-in-miner-${i}.json`);
    net = await startJobNetwork({
      argsOf: (i) =>
        PROVIDERS.includes(i)
          ? [
              ...['--mining-command', process.execPath, '--mining-arg', MINER, '--mining-arg', 'report=50'],
              ...['--mining-arg', 'duty=0.2', '--mining-min-dwell-ms', '0'],
              ...['--mining-arg', `state=${stateFileOf(i)}`],
            ]
          : [],
    });
    const providers = net.nodes.filter((n) => n.role === 'gpu-provider');
    expect(providers.map((p) => p.index)).toEqual(PROVIDERS);
    const apis = new Map(providers.map((p) => [p.index, nodeApi(p)]));
    for (const [index, api] of apis) {
      // A provider may still be answering the coordinator's hardware-class challenge (mode 'ai': CI saw it); it
      // mines again once that ends.
      let s = await api.providerSwitching();
      for (const until = Date.now() + 60_000; s.switching?.mode !== 'mining' && Date.now() < until; ) {
        await new Promise((r) => setTimeout(r, 200));
        s = await api.providerSwitching();
      }
      expect(s.enabled, `provider ${index}`).toBe(true);
      expect(s.switching?.mode).toBe('mining');
      expect(await procState(s.switching!.miner.pid!)).not.toBe('T');
    }

    // While the job runs: whichever provider reports 'ai' (its training run, or a hardware-class challenge it
    // answers), its miner must be stopped and its counter still for the whole of that stretch (same `since`).
    const seen: { index: number; since: string; state: string | undefined; counter: number | undefined }[] = [];
    let done = false;
    const watch = (async () => {
      while (!done) {
        for (const [index, api] of apis) {
          const s = (await api.providerSwitching()).switching;
          if (s?.mode !== 'ai' || s.miner.pid === undefined) continue;
          const state = await procState(s.miner.pid);
          const counter = await minerCounter(stateFileOf(index));
          // still in 'ai' after reading the kernel and the counter: the sample counts
          const still = (await api.providerSwitching()).switching;
          if (still?.mode === 'ai' && still.since === s.since) seen.push({ index, since: s.since, state, counter });
        }
        await new Promise((r) => setTimeout(r, 50));
      }
    })();
    const run = await runTestJob(net, { template: 'iris', epochs: 20 }).finally(() => {
      done = true;
    });
    await watch;
    expect(run.report.state, run.context()).toBe('Settled');

    const runs = await Promise.all(
      [...apis].map(async ([index, api]) => ({
        index,
        started: (await api.providerSwitching()).switching!.jobsStarted,
      })),
    );
    const ran = runs.find((r) => r.started > 0)!.index;
    const during = seen.filter((s) => s.index === ran);
    expect(during.length, run.context()).toBeGreaterThan(1);
    for (const s of seen) expect(s.state).toBe('T');
    for (const stretch of new Set(seen.map((s) => `${s.index} ${s.since}`))) {
      const counters = seen.filter((s) => `${s.index} ${s.since}` === stretch).map((s) => s.counter);
      expect(new Set(counters).size, stretch).toBe(1);
    }

    const api = apis.get(ran)!;
    const deadline = Date.now() + 60_000;
    let after = (await api.providerSwitching()).switching!;
    while (Date.now() < deadline && (after.mode !== 'mining' || after.earnings.ai.jobsSettled < 1)) {
      await new Promise((r) => setTimeout(r, 200));
      after = (await api.providerSwitching()).switching!;
    }
    expect(after.mode).toBe('mining');
    expect(after.jobsStarted).toBeGreaterThanOrEqual(1);
    expect(after.timeMs.ai).toBeGreaterThan(0);
    expect(after.timeMs.mining).toBeGreaterThan(0);
    // at least twice: for the coordinator's hardware-class challenge (answered before the job was assigned, with the
    // miner running from the node's start) and for the training run
    expect(after.miner.suspensions).toBeGreaterThanOrEqual(2);
    expect(after.miner.lastSuspendMs).toBeLessThan(2_000);
    expect(after.miner.crashes).toBe(0);
    expect(after.earnings.ai.jobsSettled).toBeGreaterThanOrEqual(1);
    expect(BigInt(after.earnings.ai.earnedWei)).toBeGreaterThan(0n);
    expect(await procState(after.miner.pid!)).not.toBe('T');
    const counterAfter = await minerCounter(stateFileOf(ran));
    expect(counterAfter).toBeGreaterThan(during.at(-1)?.counter ?? 0);
  }, 600_000);
});
