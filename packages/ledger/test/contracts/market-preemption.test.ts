/**
 * Keyless preemption (issue 15): no ALLOCATOR_ROLE is checked. A job's requester preempts it at the checkpoints it
 * attests (paid pro rata); anyone else may preempt only a job its provider did not start within the assign window of
 * its assignment, and only at resumeFrom (nothing paid).
 */
import { beforeEach, describe, expect, it } from 'vitest';
import { computeMarketAbi } from '../../src/artifacts/index.ts';
import { PRESETS } from '../../src/config.ts';
import { jobStateName } from '../../src/types.ts';
import { contractCaller } from '../helpers/caller.ts';
import { type Fixture, loadFixture } from '../helpers/fixture.ts';
import { escrowAndAssign, type MarketWorld, PRICE, setUpMarket } from '../helpers/market.ts';
import { expectRevert } from '../helpers/revert.ts';

describe('ComputeMarket keyless preemption', () => {
  let f: Fixture;
  let w: MarketWorld;

  beforeEach(async () => {
    f = await loadFixture();
    await f.reset();
    w = await setUpMarket(f);
  });

  const market = () => contractCaller(f, f.deployment.contracts.ComputeMarket, computeMarketAbi);
  const stateOf = async (jobId: bigint) => jobStateName((await f.as(w.requester).getJob(jobId)).state);

  it('lets only the requester preempt a started job, at the checkpoints it attests, paid pro rata', async () => {
    const [p1] = w.providers as [`0x${string}`];
    const jobId = await escrowAndAssign(f, w, p1, PRICE.budget, { checkpointCount: 10 });
    await f.as(p1).confirm('start', () => f.as(p1).market.write.startJob([jobId]));
    const stranger = w.dataOwner;
    await expectRevert(market().call(stranger, 'preemptJob', [jobId, 0]), 'NotRequester', [jobId, stranger]);
    await expectRevert(market().call(f.roles.allocator, 'preemptJob', [jobId, 4]), 'NotRequester', [
      jobId,
      f.roles.allocator,
    ]);
    const owedBefore = await f.as(w.requester).market.read.owed([p1]);
    await market().send(w.requester, 'preemptJob', [jobId, 4]);
    expect(await stateOf(jobId)).toBe('Preempted');
    expect((await f.as(w.requester).market.read.owed([p1])) - owedBefore).toBe((PRICE.budget * 4n) / 10n);
  });

  it('lets anyone preempt an unstarted job after the assign window, at resumeFrom only', async () => {
    const [p1] = w.providers as [`0x${string}`];
    const jobId = await escrowAndAssign(f, w, p1, PRICE.budget, { checkpointCount: 10 });
    const stranger = w.dataOwner;
    await expectRevert(market().call(stranger, 'preemptJob', [jobId, 0]), 'NotRequester', [jobId, stranger]);
    await f.testClient.increaseTime({ seconds: PRESETS.minimal.assignWindowSec + 1 });
    await f.testClient.mine({ blocks: 1 });
    await expectRevert(market().call(stranger, 'preemptJob', [jobId, 3]), 'NotRequester', [jobId, stranger]);
    const owedBefore = await f.as(w.requester).market.read.owed([p1]);
    await market().send(stranger, 'preemptJob', [jobId, 0]);
    expect(await stateOf(jobId)).toBe('Preempted');
    expect(await f.as(w.requester).market.read.owed([p1])).toBe(owedBefore); // nothing attested, nothing paid
  });
});
