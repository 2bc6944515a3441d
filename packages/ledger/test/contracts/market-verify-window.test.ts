/** A drawn verifier that never answers: after the verify window anyone may draw another, and only the new one's
 * verdict counts; before the window closes the draw stands. */

import type { Address } from 'viem';
import { beforeEach, describe, expect, it } from 'vitest';
import { computeMarketAbi } from '../../src/artifacts/index.ts';
import { PRESETS } from '../../src/config.ts';
import { contractCaller } from '../helpers/caller.ts';
import { type Fixture, loadFixture } from '../helpers/fixture.ts';
import { commit, escrowAndAssign, type MarketWorld, PRICE, pass, setUpMarket } from '../helpers/market.ts';
import { expectRevert } from '../helpers/revert.ts';

describe('ComputeMarket verify window', () => {
  let f: Fixture;
  let w: MarketWorld;
  let provider: Address;

  beforeEach(async () => {
    f = await loadFixture();
    await f.reset();
    w = await setUpMarket(f);
    provider = w.providers[0]!;
  });

  const call = (who: Address, fn: string, args: readonly unknown[]): Promise<unknown> =>
    contractCaller(f, f.deployment.contracts.ComputeMarket, computeMarketAbi).call(who, fn, args);

  it('lets anyone redraw a silent verifier after the window, and only the new draw may give the verdict', async () => {
    const jobId = await escrowAndAssign(f, w, provider, PRICE.budget / 2n);
    const silent = await commit(f, jobId, provider);
    await expectRevert(call(w.requester, 'redrawVerifier', [jobId]), 'VerifyWindowOpen');

    await f.testClient.increaseTime({ seconds: PRESETS.minimal.verifyWindowSec + 1 });
    await f.testClient.mine({ blocks: 1 });
    const anyone = w.providers[1]!;
    const receipt = await f.as(anyone).confirm('redraw', () => f.as(anyone).market.write.redrawVerifier([jobId]));
    const [redrawn] = await f.publicClient.getContractEvents({
      address: f.deployment.contracts.ComputeMarket,
      abi: computeMarketAbi,
      eventName: 'VerifierRedrawn',
      args: { jobId },
      fromBlock: receipt.blockNumber,
    });
    expect(redrawn?.args.silentVerifier).toBe(silent);
    // A fresh window: a second redraw right away is refused.
    await expectRevert(call(anyone, 'redrawVerifier', [jobId]), 'VerifyWindowOpen');

    await f.testClient.mine({ blocks: 2 });
    const drawn = await f.as(w.requester).market.read.designatedVerifier([jobId]);
    for (const verifier of f.roles.verifiers.filter((v) => v !== drawn)) {
      await expectRevert(call(verifier, 'submitVerdict', [jobId, true]), 'NotDesignatedVerifier');
    }
    await pass(f, jobId, drawn);
    expect((await f.as(w.requester).getJob(jobId)).stateName).toBe('Verifying');
  });

  it('still takes the first verifier’s late verdict while nobody has redrawn', async () => {
    const jobId = await escrowAndAssign(f, w, provider, PRICE.budget / 2n);
    const verifier = await commit(f, jobId, provider);
    await f.testClient.increaseTime({ seconds: PRESETS.minimal.verifyWindowSec + 1 });
    await f.testClient.mine({ blocks: 1 });
    await pass(f, jobId, verifier);
    expect((await f.as(w.requester).getJob(jobId)).stateName).toBe('Verifying');
  });
});
