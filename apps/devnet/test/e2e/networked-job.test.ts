/**
 * Issue 7, done-when 1: a requester trains the MNIST template on the published dataset on a provider it did not
 * choose, across real node processes on 127.0.0.1; the job is verified and settled on chain; every party's AIC
 * balance changes by exactly the amounts quoted; the TrainedAI NFT exists with its lineage.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { type JobNetwork, startJobNetwork } from '../../src/job-network.ts';
import { runTestJob } from '../helpers/run-job.ts';

describe('verified training job across real nodes', () => {
  let net: JobNetwork | undefined;
  afterAll(async () => {
    await net?.close();
  });

  it('assigns, trains, verifies, settles and mints with every balance as quoted', async () => {
    net = await startJobNetwork();
    const run = await runTestJob(net);
    const { report } = run;
    const context = run.context();
    expect(report.state, context).toBe('Settled');
    const { quote, deltas, parties } = report;
    const paidProvider = parties.providers.filter((p) => (deltas.get(p) ?? 0n) !== 0n);
    expect(paidProvider, context).toHaveLength(1);
    expect(deltas.get(paidProvider[0]!)).toBe(quote.providerWei);
    expect(deltas.get(parties.requester)).toBe(-quote.totalWei);
    expect(deltas.get(parties.dataOwner)).toBe(quote.datasetFeeWei + quote.modelFeeWei);
    expect(deltas.get(parties.treasury)).toBe(quote.protocolFeeWei);
    const verifierGains = parties.verifiers.map((v) => deltas.get(v) ?? 0n);
    expect(
      verifierGains.filter((g) => g !== 0n),
      context,
    ).toEqual([quote.verifierFeeWei]);
    // Nothing created or lost: the deltas sum to zero.
    expect([...deltas.values()].reduce((a, b) => a + b, 0n)).toBe(0n);
    expect(report.trainedAssetId).toBeDefined();
    expect(report.lineage.map((l) => l.shareBps)).toEqual([3_000, 2_000]);
  });
});
