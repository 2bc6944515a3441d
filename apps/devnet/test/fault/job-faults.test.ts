/**
 * Faults of one job at a time on ONE job network (served chain + 7 node processes on 127.0.0.1): starting a network
 * costs minutes on 2 cores, and each fault lives in its own slot, so the cases do not disturb each other:
 * - GPU Vessel node 1 announces 4 × T4 and is honest; node 2 announces 2 × H100 and fakes 10 % of its segments
 *   (fault injection: it skips their training and reports made-up commitments). A job's exact hardware requirement
 *   (T4 or H100) steers it to one of them through the coordinator's allocator;
 * - the coordinator's and the requester's liveness grace is 60 s, long enough for a provider's restart (the devnet
 *   default, 3 s, preempts a node that is down that long).
 * The cases (each was its own file and network: faking-provider, provider-restart):
 * - issue 7, done-when 2 (second part, across real nodes): the faking provider is caught by the drawn verifier, the
 *   dispute is resolved by the coordinator's arbiter re-running the sampled segments, the provider is slashed and
 *   never paid, and the requester and the verifier share its stake (the catch-rate statistics over ≥ 200 trials are
 *   packages/gpu-vessel/test/fault/faker-statistics.test.ts);
 * - a GPU Vessel that crashes and comes back (SIGKILL, then the same node started again on its data directory) within
 *   the liveness grace resumes its own job from its last checkpoint: no preemption, the same provider commits, and the
 *   committed root equals an uninterrupted run's. Last: a restarted provider is the one thing that has disturbed a
 *   later job on a shared network (e2e/job-network.test.ts).
 * Own networks: the silent verifier (fault/silent-verifier.test.ts: each silent draw now costs its verifier the
 * silence penalty, draining the stakes these jobs need drawable), the lazy verifier (canaries every second, whose
 * verifier rewards would move the balances asserted here).
 */
import { createDevClients } from '@aic/ledger/devchain';
import { getAddress } from 'viem';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type JobNetwork, startJobNetwork } from '../../src/job-network.ts';
import { fakeGpus, H100_X2, T4_X4 } from '../helpers/fake-gpus.ts';
import { atTrainingStep, uninterruptedRoot } from '../helpers/mid-job.ts';
import { runTestJob } from '../helpers/run-job.ts';
import { jobEvents } from './market-events.ts';

const HONEST_PROVIDER = 1;
const FAKING_PROVIDER = 2;
const COORDINATOR_INDEX = 4;
const ON_HONEST = { gpus: 1, gpuModels: ['T4'] };
const ON_FAKER = { gpus: 1, gpuModels: ['H100'] };

/** Hang guards sized to a loaded 2-core machine, not speed assertions. */
const NETWORK_START_MS = 300_000;
const JOB_MS = 300_000;

describe('job faults, each in its own slot of one job network', () => {
  let net: JobNetwork | undefined;
  let gpus: Awaited<ReturnType<typeof fakeGpus>> | undefined;
  const network = (): JobNetwork => {
    if (net === undefined) throw new Error('the job network did not start');
    return net;
  };
  beforeAll(async () => {
    gpus = await fakeGpus({ [HONEST_PROVIDER]: T4_X4, [FAKING_PROVIDER]: H100_X2 });
    const gpuEnv = gpus.envOf;
    net = await startJobNetwork({
      envOf: (i) => ({ ...gpuEnv(i), ...(i === FAKING_PROVIDER ? { AIC_FAULT_FAKE_SEGMENTS: '0.1' } : {}) }),
      // The requester (node 0) watches its jobs' providers too (issue 15: where the market lets it, it preempts).
      argsOf: (i) => (i === COORDINATOR_INDEX || i === 0 ? ['--liveness-grace-ms', '60000'] : []),
    });
  }, NETWORK_START_MS);
  afterAll(async () => {
    await net?.close();
    await gpus?.remove();
  });

  /** Whether the coordinator placed `jobId` on node `index` (its 'job assigned' line names the provider). */
  const assignedTo = (n: JobNetwork, jobId: bigint, index: number) =>
    n.lines.some(
      (l) =>
        l.includes('job assigned') &&
        l.includes(`"jobId":"${jobId}"`) &&
        l.toLowerCase().includes(n.nodes[index]!.address.toLowerCase()),
    );

  it('a provider faking 10 % of its segments is caught, slashed and never paid', { timeout: JOB_MS }, async () => {
    const n = network();
    const { as } = createDevClients(n.chain, n.dev.deployment);
    const run = await runTestJob(n, {
      // Iris trains in milliseconds: 25 epochs of 8 steps, K = 2: 100 segments, 10 of them faked, 44 sampled.
      template: 'iris',
      epochs: 25,
      commitEverySteps: 2,
      hardware: ON_FAKER,
    });
    const { report } = run;
    const context = run.context();
    expect(report.state, context).toBe('Slashed');
    expect(assignedTo(n, report.jobId, FAKING_PROVIDER), context).toBe(true);

    const events = jobEvents(n, report.jobId);
    const [verdict] = await events.verdicts();
    const [resolved] = await events.resolved();
    const [slashed] = await events.slashed();
    expect(verdict!.args.valid).toBe(false);
    expect(resolved!.args.providerCheated).toBe(true);
    expect(resolved!.args.rightVerifier).toBe(verdict!.args.verifier);

    const cheater = getAddress(slashed!.args.provider!);
    expect(cheater).toBe(getAddress(n.nodes[FAKING_PROVIDER]!.address));
    const stake = slashed!.args.amount!;
    expect(stake).toBe(500n * 10n ** 18n); // the minimal preset slashes the whole stake
    expect((await as(cheater).market.read.providerOf([cheater])).stake).toBe(0n);
    const { quote, deltas, parties } = report;
    const toVerifier = stake / 2n; // slashToVerifierBps 50 %
    expect(deltas.get(cheater), context).toBe(0n); // never paid (its stake was already outside its balance)
    expect(deltas.get(getAddress(verdict!.args.verifier!))).toBe(quote.verifierFeeWei + toVerifier);
    expect(deltas.get(parties.requester)).toBe(-quote.verifierFeeWei + stake - toVerifier);
    expect(deltas.get(parties.dataOwner)).toBe(0n);
    expect(deltas.get(parties.treasury)).toBe(0n);
    expect(report.trainedAssetId).toBeUndefined();
  });

  it('a provider restarted mid-job resumes its own job from its checkpoints, unpreempted, to the uninterrupted root', {
    timeout: JOB_MS,
  }, async () => {
    const n = network();
    const crash = atTrainingStep(n, 50, async (node) => {
      await n.kill(node.index);
      await n.restart(node.index);
    });
    const { report, context } = await runTestJob(n, {
      epochs: 1,
      commitEverySteps: 5,
      onStatus: crash.onStatus,
      hardware: ON_HONEST,
    });
    await crash.state.done;
    const provider = crash.state.provider;
    expect(provider, context()).toBeDefined();
    expect(report.state, context()).toBe('Settled');
    // The same node ran the job twice: before the crash and, resumed, after its restart.
    const index = n.nodes.find((x) => getAddress(x.address) === provider)!.index;
    expect(index).toBe(HONEST_PROVIDER);
    const starts = n.lines.filter(
      (l) =>
        l.includes(`"index":${index},`) &&
        l.includes('"message":"job started"') &&
        l.includes(`"jobId":"${report.jobId}"`),
    );
    expect(starts.length, context()).toBe(2);

    const events = jobEvents(n, report.jobId);
    expect(await events.preempted(), context()).toEqual([]);
    const [committed] = await events.committed();
    expect(committed!.args.provider).toBe(provider);
    expect(report.deltas.get(getAddress(provider!))).toBe(report.quote.providerWei);

    expect(committed!.args.checkpointRoot).toBe(await uninterruptedRoot(n, report.jobId));
  });
});
