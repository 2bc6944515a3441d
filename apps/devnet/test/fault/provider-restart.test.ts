/**
 * A GPU Vessel that crashes and comes back (SIGKILL, then the same node started again on its data directory) within
 * the coordinator's liveness grace resumes its own job from its last checkpoint: no preemption, the same provider
 * commits, and the committed root equals an uninterrupted run's — the provider's own restart loses nothing.
 */
import { getAddress } from 'viem';
import { afterAll, describe, expect, it } from 'vitest';
import { type JobNetwork, startJobNetwork } from '../../src/job-network.ts';
import { atTrainingStep, uninterruptedRoot } from '../helpers/mid-job.ts';
import { runTestJob } from '../helpers/run-job.ts';
import { jobEvents } from './market-events.ts';

const COORDINATOR_INDEX = 4;

describe('a provider restarted mid-job', () => {
  let net: JobNetwork | undefined;
  afterAll(async () => {
    await net?.close();
  });

  it('resumes its own job from its checkpoints, unpreempted, to the uninterrupted root', {
    timeout: 300_000,
  }, async () => {
    // A grace long enough for a restart (the devnet default, 3 s, preempts a node that is down that long).
    net = await startJobNetwork({ argsOf: (i) => (i === COORDINATOR_INDEX ? ['--liveness-grace-ms', '60000'] : []) });
    const n = net;
    const crash = atTrainingStep(n, 50, async (node) => {
      await n.kill(node.index);
      await n.restart(node.index);
    });
    const { report, context } = await runTestJob(n, { epochs: 1, commitEverySteps: 5, onStatus: crash.onStatus });
    await crash.state.done;
    const provider = crash.state.provider;
    expect(provider, context()).toBeDefined();
    expect(report.state, context()).toBe('Settled');
    // The same node ran the job twice: before the crash and, resumed, after its restart.
    const index = n.nodes.find((x) => getAddress(x.address) === provider)!.index;
    const starts = n.lines.filter((l) => l.includes(`"index":${index},`) && l.includes('"message":"job started"'));
    expect(starts.length, context()).toBe(2);

    const events = jobEvents(n, report.jobId);
    expect(await events.preempted(), context()).toEqual([]);
    const [committed] = await events.committed();
    expect(committed!.args.provider).toBe(provider);
    expect(report.deltas.get(getAddress(provider!))).toBe(report.quote.providerWei);

    expect(committed!.args.checkpointRoot).toBe(await uninterruptedRoot(n, report.jobId));
  });
});
