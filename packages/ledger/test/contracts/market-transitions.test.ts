/**
 * Every state of the job state machine (DESIGN.md §6) is reached, and from each one every action that is not a legal
 * transition reverts with IllegalTransition(jobId, state). Actions are simulated (eth_call) by callers that would be
 * authorized, so the state is the only reason for the revert.
 */
import { type Address, keccak256, toHex } from 'viem';
import { beforeAll, describe, expect, it } from 'vitest';
import { jobRequestToArgs } from '../../src/actions/jobs.ts';
import { computeMarketAbi } from '../../src/artifacts/index.ts';
import { JobState, type JobStateName, NO_PERMIT } from '../../src/types.ts';
import { contractCaller } from '../helpers/caller.ts';
import { type Fixture, loadFixture } from '../helpers/fixture.ts';
import {
  afterChallengeWindow,
  commit,
  escrowAndAssign,
  jobRequest,
  type MarketWorld,
  PRICE,
  pass,
  setUpMarket,
} from '../helpers/market.ts';
import { expectRevert } from '../helpers/revert.ts';

type Action =
  | 'fund'
  | 'assign'
  | 'start'
  | 'commit'
  | 'verdict'
  | 'challenge'
  | 'resolve'
  | 'settle'
  | 'preempt'
  | 'reassign'
  | 'expire'
  | 'refund'
  | 'redraw';

const LEGAL: Record<Action, JobStateName[]> = {
  fund: ['Created'],
  assign: ['Escrowed'],
  start: ['Assigned', 'Reassigned'],
  commit: ['Assigned', 'Running', 'Reassigned'],
  verdict: ['Committed'],
  challenge: ['Verifying'],
  resolve: ['Disputed'],
  settle: ['Verifying'],
  preempt: ['Assigned', 'Running', 'Reassigned'],
  reassign: ['Preempted'],
  expire: ['Created', 'Escrowed', 'Assigned', 'Running', 'Preempted', 'Reassigned'],
  refund: ['Expired'],
  redraw: ['Committed'],
};

describe('ComputeMarket state machine', () => {
  let f: Fixture;
  let w: MarketWorld;
  const jobs = new Map<JobStateName, bigint>();
  let provider: Address;
  let other: Address;

  beforeAll(async () => {
    f = await loadFixture();
    await f.reset();
    w = await setUpMarket(f);
    [provider, other] = w.providers as [Address, Address];
    const allocator = f.as(f.roles.allocator);
    const arbiter = f.as(f.roles.arbiter);
    const price = PRICE.budget / 2n;

    const { jobId: created } = await f
      .as(w.requester)
      .confirm('createJob', async () => {
        return f.as(w.requester).market.write.createJob([jobRequestToArgs(await jobRequest(f, w))]);
      })
      .then(async () => ({ jobId: await f.as(w.requester).market.read.jobCount() }));
    jobs.set('Created', created);
    jobs.set('Escrowed', (await f.as(w.requester).createAndFundJob(await jobRequest(f, w))).jobId);
    jobs.set('Assigned', await escrowAndAssign(f, w, provider, price));
    const running = await escrowAndAssign(f, w, provider, price);
    await f.as(provider).confirm('start', () => f.as(provider).market.write.startJob([running]));
    jobs.set('Running', running);
    const committed = await escrowAndAssign(f, w, provider, price);
    await commit(f, committed, provider);
    jobs.set('Committed', committed);
    const verifying = await escrowAndAssign(f, w, provider, price);
    await pass(f, verifying, await commit(f, verifying, provider));
    jobs.set('Verifying', verifying);
    const disputed = await escrowAndAssign(f, w, provider, price);
    const v = await commit(f, disputed, provider);
    await f.as(v).confirm('verdict', () => f.as(v).market.write.submitVerdict([disputed, false]));
    jobs.set('Disputed', disputed);
    const preempted = await escrowAndAssign(f, w, provider, price);
    await f.as(w.requester).confirm('preempt', () => f.as(w.requester).market.write.preemptJob([preempted, 3]));
    jobs.set('Preempted', preempted);
    const reassigned = await escrowAndAssign(f, w, provider, price);
    await f.as(w.requester).confirm('preempt', () => f.as(w.requester).market.write.preemptJob([reassigned, 3]));
    await f.testClient.mine({ blocks: 1 });
    await allocator.confirm('reassign', () => allocator.market.write.reassignJob([reassigned, other]));
    jobs.set('Reassigned', reassigned);
    // After the reassignment to `other`: slashing empties its stake.
    const slashed = await escrowAndAssign(f, w, other, price);
    const v2 = await commit(f, slashed, other);
    await f.as(v2).confirm('verdict', () => f.as(v2).market.write.submitVerdict([slashed, false]));
    await arbiter.confirm('resolve', () => arbiter.market.write.resolveDispute([slashed, true, v2]));
    jobs.set('Slashed', slashed);
    const expired = (await f.as(w.requester).createAndFundJob(await jobRequest(f, w))).jobId;
    await f.as(w.requester).confirm('expire', () => f.as(w.requester).market.write.expireJob([expired]));
    jobs.set('Expired', expired);
    const refunded = (await f.as(w.requester).createAndFundJob(await jobRequest(f, w))).jobId;
    await f.as(w.requester).confirm('expire', () => f.as(w.requester).market.write.expireJob([refunded]));
    await f.as(w.requester).confirm('refund', () => f.as(w.requester).market.write.refundJob([refunded]));
    jobs.set('Refunded', refunded);
    // Settled last: moving time past the challenge window must not disturb the jobs above.
    const settled = await escrowAndAssign(f, w, provider, price);
    await pass(f, settled, await commit(f, settled, provider));
    await afterChallengeWindow(f);
    await f.as(other).confirm('settle', () => f.as(other).market.write.settleJob([settled]));
    jobs.set('Settled', settled);
  });

  it('reaches every state of DESIGN.md §6', async () => {
    for (const [name, jobId] of jobs) {
      const job = await f.as(w.requester).getJob(jobId);
      expect(job.stateName, `job ${jobId}`).toBe(name);
    }
    expect([...jobs.keys()].sort()).toEqual(
      Object.keys(JobState)
        .filter((s) => s !== 'None')
        .sort(),
    );
  });

  /** Simulates `functionName` as `who` (eth_call): nothing changes on chain. */
  const call = (who: Address, fn: string, args: readonly unknown[]): Promise<unknown> =>
    contractCaller(f, f.deployment.contracts.ComputeMarket, computeMarketAbi).call(who, fn, args);

  const simulate = (action: Action, jobId: bigint): Promise<unknown> => {
    const ver = f.roles.verifiers[0]!;
    const { allocator, arbiter } = f.roles;
    switch (action) {
      case 'fund':
        return call(w.requester, 'fundJob', [jobId, NO_PERMIT]);
      case 'assign':
        return call(allocator, 'assignJob', [jobId, provider]);
      case 'start':
        return call(provider, 'startJob', [jobId]);
      case 'commit':
        return call(provider, 'commitResult', [jobId, keccak256(toHex('x')), 'cid']);
      case 'verdict':
        return call(ver, 'submitVerdict', [jobId, true]);
      case 'challenge':
        return call(ver, 'challengeResult', [jobId]);
      case 'resolve':
        return call(arbiter, 'resolveDispute', [jobId, true, ver]);
      case 'settle':
        return call(w.requester, 'settleJob', [jobId]);
      case 'preempt':
        return call(w.requester, 'preemptJob', [jobId, 0]);
      case 'reassign':
        return call(allocator, 'reassignJob', [jobId, provider]);
      case 'expire':
        return call(w.requester, 'expireJob', [jobId]);
      case 'refund':
        return call(w.requester, 'refundJob', [jobId]);
      case 'redraw':
        return call(w.requester, 'redrawVerifier', [jobId]);
    }
  };

  for (const action of Object.keys(LEGAL) as Action[]) {
    it(`refuses ${action} from every state where it is not a legal transition`, async () => {
      let checked = 0;
      for (const [state, jobId] of jobs) {
        if (LEGAL[action].includes(state)) continue;
        await expectRevert(simulate(action, jobId), 'IllegalTransition', [jobId, JobState[state]]);
        checked++;
      }
      expect(checked).toBe(13 - LEGAL[action].length);
    });
  }

  it('refuses any action on a job id that does not exist', async () => {
    for (const action of Object.keys(LEGAL) as Action[]) {
      await expectRevert(simulate(action, 999n), 'JobNotFound', [999n]);
    }
  });
});
