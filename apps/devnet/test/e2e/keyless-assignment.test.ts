/**
 * Issue 15, done-when 1 (first two parts): a job is placed with no ALLOCATOR key in use, and a coordinator that
 * submits a wrong assignment is reverted. On one job network whose shortlists hold 1 provider (so staked providers
 * exist off each shortlist):
 * - the coordinator node (index 4) is a cheater (fault injection $AIC_FAULT_WRONG_ASSIGNMENT): it proposes a staked
 *   provider that is not on the job's seeded shortlist, the contract reverts it (ProviderNotDrawn), it logs the
 *   attempt and never proposes the right one;
 * - a second, honest coordinator (the verifier node 6 also runs `--coordinator`; it never held a role) proposes the
 *   drawn provider; the job is trained, verified and settled. It is offline until the cheater's revert is on record
 *   (then restarted: it rebuilds its book from the chain's history), so the cheater's proposal always meets the
 *   contract's check rather than a job an honest proposer already placed (IllegalTransition: CI saw that race);
 * - the ALLOCATOR_ROLE was revoked before any job, and neither proposer holds it.
 */
import { computeMarketAbi, roleId } from '@aic/ledger';
import { createDevClients } from '@aic/ledger/devchain';
import { getAddress } from 'viem';
import { afterAll, describe, expect, it } from 'vitest';
import { type JobNetwork, startJobNetwork } from '../../src/job-network.ts';
import { runTestJob } from '../helpers/run-job.ts';

const CHEATING_COORDINATOR = 4;
const HONEST_COORDINATOR = 6;

describe('keyless assignment across real nodes', () => {
  let net: JobNetwork | undefined;
  afterAll(async () => {
    await net?.close();
  });

  it('reverts a cheating coordinator and settles the job an honest one placed, with no ALLOCATOR key', {
    timeout: 420_000,
  }, async () => {
    net = await startJobNetwork({
      assignShortlistSize: 1,
      envOf: (i) => (i === CHEATING_COORDINATOR ? { AIC_FAULT_WRONG_ASSIGNMENT: '1' } : {}),
      argsOf: (i) => (i === HONEST_COORDINATOR ? ['--coordinator'] : []),
    });
    const n = net;
    const { publicClient, as } = createDevClients(n.chain, n.dev.deployment);
    const cheater = getAddress(n.nodes[CHEATING_COORDINATOR]!.address);
    const honest = getAddress(n.nodes[HONEST_COORDINATOR]!.address);
    const admin = as(n.dev.roles.admin);
    const allocatorRole = roleId('ALLOCATOR_ROLE');
    await admin.confirm('revokeRole', () => admin.market.write.revokeRole([allocatorRole, cheater]));
    expect(await admin.market.read.getRoleMemberCount([allocatorRole])).toBe(0n);

    await n.kill(HONEST_COORDINATOR);
    const running = runTestJob(n, { template: 'iris', epochs: 1 });
    const reverted = (l: string) => l.includes('wrong assignment proposed and reverted');
    const deadline = Date.now() + 180_000;
    // the cheater's log line arrives through the node's event stream; checked on each new line, not timed
    while (!n.lines.some(reverted) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
    await n.restart(HONEST_COORDINATOR);
    const { report, context } = await running;
    expect(report.state, context()).toBe('Settled');

    const where = { address: n.dev.deployment.contracts.ComputeMarket, abi: computeMarketAbi, fromBlock: 0n } as const;
    const [assigned] = await publicClient.getContractEvents({
      ...where,
      eventName: 'JobAssigned',
      args: { jobId: report.jobId },
    });
    expect(assigned, context()).toBeDefined();
    const tx = await publicClient.getTransaction({ hash: assigned!.transactionHash });
    expect(getAddress(tx.from)).toBe(honest);
    expect(await admin.market.read.hasRole([allocatorRole, tx.from])).toBe(false);
    // The provider it named was the job's seeded draw: the contract accepted nothing else.
    expect(report.parties.providers.map((p) => p.toLowerCase())).toContain(assigned!.args.provider!.toLowerCase());

    // The cheater's proposal: a staked provider off the shortlist, reverted by the contract's check, and logged.
    const cheat = n.lines.find(
      (l) => l.includes('wrong assignment proposed and reverted') && l.includes(`"jobId":"${report.jobId}"`),
    );
    expect(cheat, context()).toBeDefined();
    expect(cheat).toContain('ProviderNotDrawn');
    const named = /"provider":"(0x[0-9a-fA-F]{40})"/.exec(cheat!)?.[1];
    expect(named).toBeDefined();
    expect(getAddress(named!)).not.toBe(getAddress(assigned!.args.provider!));
    expect((await admin.market.read.providerOf([getAddress(named!)])).registered).toBe(true);
    expect(n.lines.some((l) => l.includes('wrong assignment was ACCEPTED'))).toBe(false);
  });
});
