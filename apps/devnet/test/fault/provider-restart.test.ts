/**
 * A GPU Vessel that crashes and comes back (SIGKILL, then the same node started again on its data directory) within
 * the coordinator's liveness grace resumes its own job from its last checkpoint: no preemption, the same provider
 * commits, and the committed root equals an uninterrupted run's — the provider's own restart loses nothing.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { decodeJobTicket, loadDatasetSource, ticketHash } from '@aic/gpu-vessel';
import { trainJob } from '@aic/model-vessel';
import { getAddress } from 'viem';
import { afterAll, describe, expect, it } from 'vitest';
import { type JobNetwork, startJobNetwork } from '../../src/job-network.ts';
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
    let restarted: Promise<unknown> | undefined;
    let provider: string | undefined;
    const { report, context } = await runTestJob(n, {
      epochs: 1,
      commitEverySteps: 5,
      onStatus: (s) => {
        if (restarted === undefined && s.state === 'Running' && (s.step ?? 0) >= 50) {
          provider = getAddress(s.provider);
          const node = n.nodes.find((x) => getAddress(x.address) === provider)!;
          restarted = n.kill(node.index).then(() => n.restart(node.index));
        }
      },
    });
    await restarted;
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

    const requester = n.nodes.find((node) => node.role === 'requester')!;
    const bytes = new Uint8Array(await readFile(join(requester.dataDir, 'jobs', String(report.jobId), 'ticket.json')));
    const ticket = decodeJobTicket(bytes, ticketHash(bytes));
    const local = await trainJob(ticket.spec, await loadDatasetSource(ticket.dataset));
    local.model.dispose();
    expect(committed!.args.checkpointRoot).toBe(local.commitmentRoot);
  });
});
