/**
 * Issue 7, done-when 2 (first part): a provider killed mid-job (SIGKILL, no goodbye) → the coordinator preempts it at
 * the last checkpoint it re-verified from the requester's mirror, pays it pro rata for those segments, and reassigns
 * the job; the other provider resumes from that checkpoint; both are paid for their verified segments; and nothing
 * is lost: the committed commitment root equals the root of an uninterrupted local run of the same ticket.
 */
import { getAddress } from 'viem';
import { afterAll, describe, expect, it } from 'vitest';
import { type JobNetwork, startJobNetwork } from '../../src/job-network.ts';
import { atTrainingStep, uninterruptedRoot } from '../helpers/mid-job.ts';
import { runTestJob } from '../helpers/run-job.ts';
import { jobEvents } from './market-events.ts';

describe('a provider killed mid-job', () => {
  let net: JobNetwork | undefined;
  afterAll(async () => {
    await net?.close();
  });

  it('is preempted at its last verified checkpoint; the job resumes elsewhere and both are paid', {
    timeout: 300_000,
  }, async () => {
    net = await startJobNetwork();
    const n = net;
    const kill = atTrainingStep(n, 50, (victim) => n.kill(victim.index));
    const run = await runTestJob(n, { epochs: 1, commitEverySteps: 5, onStatus: kill.onStatus });
    const { report } = run;
    const context = run.context();
    const killed = kill.state.provider;
    expect(killed, context).toBeDefined();
    expect(report.state, context).toBe('Settled');

    const events = jobEvents(n, report.jobId);
    const [preempted] = await events.preempted();
    const [reassigned] = await events.reassigned();
    const [committed] = await events.committed();
    const [settled] = await events.settled();
    expect(preempted?.args.provider).toBe(killed);
    const verified = preempted!.args.verifiedCheckpoints!;
    expect(verified, context).toBeGreaterThan(0);
    expect(reassigned!.args.resumeFrom).toBe(verified);
    const successor = reassigned!.args.provider!;
    expect(successor).not.toBe(killed);
    expect(committed!.args.provider).toBe(successor);

    // Both providers are paid for their verified segments: pro rata before the kill, the rest at settlement.
    const { quote, deltas, parties } = report;
    const first = preempted!.args.paid!;
    expect(first).toBe((quote.providerWei * BigInt(verified)) / BigInt(quote.segments));
    expect(deltas.get(getAddress(killed!))).toBe(first);
    expect(deltas.get(successor)).toBe(settled!.args.providerPaid);
    expect(first + settled!.args.providerPaid!).toBe(quote.providerWei);
    expect(deltas.get(parties.requester)).toBe(-quote.totalWei + settled!.args.refund!);
    expect([...deltas.values()].reduce((a, b) => a + b, 0n)).toBe(0n);

    // Nothing lost: the resumed job committed exactly the root of an uninterrupted run of the same ticket.
    expect(committed!.args.checkpointRoot).toBe(await uninterruptedRoot(n, report.jobId));
    expect(report.trainedAssetId).toBeDefined();
  });
});
