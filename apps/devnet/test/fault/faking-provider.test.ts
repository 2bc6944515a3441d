/**
 * Issue 7, done-when 2 (second part, across real nodes): a GPU Vessel that fakes 10 % of its segments (fault
 * injection: it skips their training and reports made-up commitments) is caught by the drawn verifier, the dispute is
 * resolved by the coordinator's arbiter re-running the sampled segments, the provider is slashed and never paid, and
 * the requester and the verifier share its stake. (The catch-rate statistics over ≥ 200 trials are
 * packages/gpu-vessel/test/fault/faker-statistics.test.ts.)
 */
import { createDevClients } from '@aic/ledger/devchain';
import { getAddress } from 'viem';
import { afterAll, describe, expect, it } from 'vitest';
import { type JobNetwork, startJobNetwork } from '../../src/job-network.ts';
import { runTestJob } from '../helpers/run-job.ts';
import { jobEvents } from './market-events.ts';

describe('a provider faking 10 % of its segments', () => {
  let net: JobNetwork | undefined;
  afterAll(async () => {
    await net?.close();
  });

  it('is caught, slashed and never paid', { timeout: 300_000 }, async () => {
    // Both GPU Vessels cheat, so whichever the chain's seed picks does.
    net = await startJobNetwork({ envOf: (i) => (i === 1 || i === 2 ? { AIC_FAULT_FAKE_SEGMENTS: '0.1' } : {}) });
    const n = net;
    const { as } = createDevClients(n.chain, n.dev.deployment);
    const run = await runTestJob(n, {
      // Iris trains in milliseconds: 25 epochs of 8 steps, K = 2: 100 segments, 10 of them faked, 44 sampled.
      template: 'iris',
      epochs: 25,
      commitEverySteps: 2,
    });
    const { report } = run;
    const context = run.context();
    expect(report.state, context).toBe('Slashed');

    const events = jobEvents(n, report.jobId);
    const [verdict] = await events.verdicts();
    const [resolved] = await events.resolved();
    const [slashed] = await events.slashed();
    expect(verdict!.args.valid).toBe(false);
    expect(resolved!.args.providerCheated).toBe(true);
    expect(resolved!.args.rightVerifier).toBe(verdict!.args.verifier);

    const cheater = getAddress(slashed!.args.provider!);
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
});
