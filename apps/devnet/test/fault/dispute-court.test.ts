/**
 * Issue 15, done-when 1 (parts 3–4), with real node processes on 127.0.0.1: a provider faking 30 % of its segments
 * is flagged by its drawn verifier; the DisputeCourt seats a committee of 3 from the other staked verifier processes
 * (the chain's seed, the parties excluded); every verifier process but one lies on a first committee
 * ($AIC_FAULT_LYING_REFEREE=first-round), so the first ruling clears the cheat; the flagging verifier appeals with the
 * bond, a fresh committee of 6 re-runs the job over the network and rules the cheat proven, which is final: the
 * provider is slashed, the liars lose stake, the bond comes back. No ARBITER_ROLE call: the coordinator leaves the
 * dispute to the court, and the market's DisputeResolved comes from a transaction sent to the court.
 *
 * 10 verifier processes (the coordinator verifies too): the flagger, 3 first referees and 6 appeal referees.
 */
import { computeMarketAbi, disputeCourtAbi } from '@aic/ledger';
import { createDevClients } from '@aic/ledger/devchain';
import { type Address, getAddress } from 'viem';
import { afterAll, describe, expect, it } from 'vitest';
import { type JobNetwork, startJobNetwork } from '../../src/job-network.ts';
import type { DevnetRole } from '../../src/nodes.ts';
import { runTestJob } from '../helpers/run-job.ts';

const KEYS = [12, 13, 15, 7, 8, 9, 16, 17, 18, 19, 20, 21, 22];
const ROLES: DevnetRole[] = [
  'requester',
  'gpu-provider',
  'data-owner',
  'coordinator',
  ...KEYS.slice(4).map(() => 'verifier' as const),
];
const PROVIDER = 1;
const COORDINATOR = 3;
/** The one verifier process that never lies. */
const HONEST = 4;

describe('a dispute heard by networked referee committees', () => {
  let net: JobNetwork | undefined;
  afterAll(async () => {
    await net?.close();
  });

  it('reverses a lying first committee on appeal and slashes the cheat', { timeout: 600_000 }, async () => {
    net = await startJobNetwork({
      keys: KEYS,
      roles: ROLES,
      envOf: (i) => ({
        ...(i === PROVIDER ? { AIC_FAULT_FAKE_SEGMENTS: '0.3' } : {}),
        ...(i >= COORDINATOR && i !== HONEST ? { AIC_FAULT_LYING_REFEREE: 'first-round' } : {}),
      }),
    });
    const n = net;
    const { publicClient, as } = createDevClients(n.chain, n.dev.deployment);
    const market = n.dev.deployment.contracts.ComputeMarket;
    const court = (await as(n.dev.roles.admin).market.read.court()) as Address;
    // Iris trains in milliseconds: 25 epochs of 8 steps, K = 2: 100 segments, 30 of them faked.
    const { report, context } = await runTestJob(n, {
      template: 'iris',
      epochs: 25,
      commitEverySteps: 2,
      timeoutMs: 480_000,
    });
    const jobId = report.jobId;
    expect(report.state, context()).toBe('Slashed');

    const where = { address: court, abi: disputeCourtAbi, args: { jobId }, fromBlock: 0n } as const;
    const drawn = await publicClient.getContractEvents({ ...where, eventName: 'CommitteeDrawn' });
    const ruled = await publicClient.getContractEvents({ ...where, eventName: 'CaseRuled' });
    const votes = await publicClient.getContractEvents({ ...where, eventName: 'RefereeVoted' });
    const [appealed] = await publicClient.getContractEvents({ ...where, eventName: 'CaseAppealed' });
    const [flag] = await publicClient.getContractEvents({
      address: market,
      abi: computeMarketAbi,
      eventName: 'VerdictSubmitted',
      args: { jobId },
      fromBlock: 0n,
    });
    const flagger = getAddress(flag!.args.verifier!);
    expect(flag!.args.valid, context()).toBe(false);

    // Two committees of verifier processes: 3, then a fresh 6; neither holds the provider or the flagger.
    expect(drawn.map((e) => e.args.round)).toEqual([1, 2]);
    const [first, second] = drawn.map((e) => (e.args.referees ?? []).map((a) => getAddress(a)));
    expect(first).toHaveLength(3);
    expect(second).toHaveLength(6);
    const provider = getAddress(n.nodes[PROVIDER]!.address);
    for (const seat of [...first!, ...second!]) expect([provider, flagger]).not.toContain(seat);
    for (const seat of second!) expect(first).not.toContain(seat);
    // The first ruling cleared the cheat (its liars), the appeal's was final and reversed it.
    expect(ruled.map((e) => [e.args.round, e.args.providerCheated])).toEqual([
      [1, false],
      [2, true],
    ]);
    expect(getAddress(appealed!.args.appellant!)).toBe(flagger);
    // The reversed ruling returned the bond: the court holds no AIC.
    expect(await as(flagger).token.read.balanceOf([court])).toBe(0n);
    // Each referee process voted on chain and logged its vote (the re-run's findings over the network).
    const voted = (round: number) => votes.filter((v) => v.args.round === round);
    expect(voted(2).filter((v) => v.args.providerCheated)).toHaveLength(6);
    expect(n.lines.filter((l) => l.includes('referee voted') && l.includes(`"jobId":"${jobId}"`)).length).toBe(
      votes.length,
    );

    // The market's ruling came through the court (a transaction to the court), not the arbiter.
    const [resolved] = await publicClient.getContractEvents({
      address: market,
      abi: computeMarketAbi,
      eventName: 'DisputeResolved',
      args: { jobId },
      fromBlock: 0n,
    });
    expect(resolved!.args.providerCheated).toBe(true);
    const tx = await publicClient.getTransaction({ hash: resolved!.transactionHash! });
    expect(getAddress(tx.to!)).toBe(getAddress(court));
    expect(n.lines.some((l) => l.includes('dispute left to the court') && l.includes(`"jobId":"${jobId}"`))).toBe(true);
    expect(n.lines.some((l) => l.includes('"message":"dispute resolved"'))).toBe(false);

    // Who paid: the provider its stake; each first-round liar the verifier slash share.
    const slashes = await publicClient.getContractEvents({
      address: market,
      abi: computeMarketAbi,
      eventName: 'VerifierSlashed',
      args: { jobId },
      fromBlock: 0n,
    });
    const liars = voted(1)
      .filter((v) => v.args.providerCheated === false)
      .map((v) => getAddress(v.args.referee!));
    expect(liars.length).toBeGreaterThanOrEqual(2);
    expect(slashes.map((s) => getAddress(s.args.verifier!)).sort()).toEqual([...liars].sort());
    const [providerSlash] = await publicClient.getContractEvents({
      address: market,
      abi: computeMarketAbi,
      eventName: 'ProviderSlashed',
      args: { jobId },
      fromBlock: 0n,
    });
    expect(getAddress(providerSlash!.args.provider!)).toBe(provider);
  });
});
