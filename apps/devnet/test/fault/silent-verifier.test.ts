/**
 * A drawn verifier that never answers (every verifier node ignores its first draw of a job, as if offline): once the
 * verify window passes, the requester's node draws another verifier on chain (VerifierRedrawn), the new draw verifies,
 * and the job settles with the verifier fee going to the one that answered — an offline verifier cannot hold a
 * provider's pay or a requester's escrow. Each silent draw costs its verifier the silence penalty (issue 15). Its own
 * network: the penalties drain the verifiers' stakes, which the jobs on a shared network
 * (fault/job-faults.test.ts) need drawable.
 */
import { createDevClients } from '@aic/ledger/devchain';
import { type Address, getAddress } from 'viem';
import { afterAll, describe, expect, it } from 'vitest';
import { type JobNetwork, startJobNetwork } from '../../src/job-network.ts';
import { runTestJob } from '../helpers/run-job.ts';
import { jobEvents } from './market-events.ts';

const VERIFIER_NODES = [4, 5, 6]; // the coordinator also verifies

describe('a silent verifier', () => {
  let net: JobNetwork | undefined;
  afterAll(async () => {
    await net?.close();
  });

  it('is redrawn after the verify window, and the job settles with the new draw', { timeout: 300_000 }, async () => {
    net = await startJobNetwork({
      verifyWindowSec: 6,
      envOf: (i) => (VERIFIER_NODES.includes(i) ? { AIC_FAULT_SILENT_FIRST_DRAW: '1' } : {}),
    });
    const n = net;
    // Iris, 4 epochs of 8 steps, K = 4: 8 segments, verified in about a second.
    const { report, context } = await runTestJob(n, { template: 'iris', epochs: 4, commitEverySteps: 4 });
    expect(report.state, context()).toBe('Settled');

    const events = jobEvents(n, report.jobId);
    const redrawn = await events.redrawn();
    const [verdict] = await events.verdicts();
    expect(redrawn.length, context()).toBeGreaterThanOrEqual(1);
    // The verdict came from the last draw, after every redraw.
    expect(verdict!.blockNumber).toBeGreaterThan(redrawn.at(-1)!.blockNumber);
    expect(verdict!.args.valid).toBe(true);
    const paidVerifier = getAddress(verdict!.args.verifier!);
    // Each silent draw cost its verifier the silence penalty (issue 15), and its node topped its stake back up to
    // the minimum from its balance (else a penalized verifier is never drawn again).
    const penalized = await events.penalized();
    expect(penalized.length, context()).toBeGreaterThan(0);
    const { market } = createDevClients(n.chain, n.dev.deployment).as(paidVerifier);
    const { minStake } = await market.read.verifierTerms();
    const stakeOf = async (who: Address) => (await market.read.verifierOf([who])).stake;
    for (const e of penalized) {
      await expect.poll(() => stakeOf(e.args.verifier!), { timeout: 60_000 }).toBeGreaterThanOrEqual(minStake);
    }
    // The paid verifier's balance: its fee, less what it put back into its stake for its own penalties.
    const ownPenalties = penalized
      .filter((e) => getAddress(e.args.verifier!) === paidVerifier)
      .reduce((sum, e) => sum + e.args.amount!, 0n);
    const restaked = (await stakeOf(paidVerifier)) - minStake + ownPenalties;
    expect(report.deltas.get(paidVerifier)).toBe(report.quote.verifierFeeWei - restaked);
    expect([...report.deltas.values()].reduce((a, b) => a + b, 0n)).toBe(0n);
  });
});
