/** Every revert path of ComputeMarket and ProviderStakes other than IllegalTransition (see market-transitions). */
import { aicToWei } from '@aic/core';
import { type Address, keccak256, toHex } from 'viem';
import { beforeEach, describe, expect, it } from 'vitest';
import { jobRequestToArgs } from '../../src/actions/jobs.ts';
import { computeMarketAbi } from '../../src/artifacts/index.ts';
import { roleId } from '../../src/deploy.ts';
import { AssetKind, HardwareClass, NO_PERMIT } from '../../src/types.ts';
import { contractCaller } from '../helpers/caller.ts';
import { type Fixture, loadFixture } from '../helpers/fixture.ts';
import {
  afterChallengeWindow,
  commit,
  deadlineIn,
  escrowAndAssign,
  jobRequest,
  type MarketWorld,
  PRICE,
  pass,
  registerProvider,
  setUpMarket,
} from '../helpers/market.ts';
import { expectRevert } from '../helpers/revert.ts';

describe('ComputeMarket revert paths', () => {
  let f: Fixture;
  let w: MarketWorld;
  let p1: Address;
  let p2: Address;

  beforeEach(async () => {
    f = await loadFixture();
    await f.reset();
    w = await setUpMarket(f);
    [p1, p2] = w.providers as [Address, Address];
  });

  const call = (who: Address, fn: string, args: readonly unknown[]) =>
    contractCaller(f, f.deployment.contracts.ComputeMarket, computeMarketAbi).call(who, fn, args);
  const req = async (over = {}) => jobRequestToArgs(await jobRequest(f, w, over));

  describe('job creation', () => {
    it('refuses a request with zero checkpoints, a past deadline or a zero budget', async () => {
      await expectRevert(call(w.requester, 'createJob', [await req({ checkpointCount: 0 })]), 'InvalidJobRequest', [
        'checkpointCount is zero',
      ]);
      await expectRevert(call(w.requester, 'createJob', [await req({ deadline: 1 })]), 'InvalidJobRequest', [
        'deadline not in the future',
      ]);
      await expectRevert(call(w.requester, 'createJob', [await req({ providerBudgetWei: 0n })]), 'InvalidJobRequest', [
        'providerBudget is zero',
      ]);
    });

    it('refuses a model id that is a dataset and a dataset id that is a model', async () => {
      await expectRevert(call(w.requester, 'createJob', [await req({ modelId: w.datasetId })]), 'AssetKindMismatch', [
        BigInt(w.datasetId),
        AssetKind.Dataset,
      ]);
      await expectRevert(call(w.requester, 'createJob', [await req({ datasetId: w.modelId })]), 'AssetKindMismatch', [
        BigInt(w.modelId),
        AssetKind.Model,
      ]);
    });

    it('refuses an asset that does not exist', async () => {
      await expectRevert(call(w.requester, 'createJob', [await req({ datasetId: 999 })]), 'ERC721NonexistentToken', [
        999n,
      ]);
    });

    it('lets only the requester fund, before the deadline, with enough AIC', async () => {
      const ledger = f.as(w.requester);
      await ledger.confirm('create', async () =>
        ledger.market.write.createJob([await req({ deadline: await deadlineIn(f, 100) })]),
      );
      const jobId = await ledger.market.read.jobCount();
      await expectRevert(call(p1, 'fundJob', [jobId, NO_PERMIT]), 'NotRequester', [jobId, p1]);
      await expectRevert(call(w.requester, 'fundJob', [jobId, NO_PERMIT]), 'ERC20InsufficientAllowance');
      await f.testClient.increaseTime({ seconds: 101 });
      await f.testClient.mine({ blocks: 1 });
      await expectRevert(call(w.requester, 'fundJob', [jobId, NO_PERMIT]), 'DeadlinePassed');
    });
  });

  describe('assignment', () => {
    let jobId: bigint;
    beforeEach(async () => {
      jobId = (
        await f.as(w.requester).createAndFundJob(await jobRequest(f, w, { minHwClass: HardwareClass.WorkstationGpu }))
      ).jobId;
    });

    it('waits for the block after the escrow before a seed exists', async () => {
      const job = await f.as(w.requester).getJob(jobId);
      await expectRevert(call(w.requester, 'assignJob', [jobId, p1]), 'SeedNotReady', [
        jobId,
        BigInt(job.seedBlock) + 1n,
      ]);
    });

    it('refuses an unregistered provider and a too-weak hardware class', async () => {
      await f.testClient.mine({ blocks: 2 }); // an eth_call sees the seed one block later than a transaction does
      const nobody = f.roles.users[8]!;
      await expectRevert(call(w.requester, 'assignJob', [jobId, nobody]), 'ProviderNotEligible', [jobId, nobody]);
      const weak = f.roles.users[9]!;
      await registerProvider(f, weak, HardwareClass.ConsumerGpu, aicToWei('1000'));
      await f.testClient.mine({ blocks: 1 });
      await expectRevert(call(w.requester, 'assignJob', [jobId, weak]), 'ProviderNotEligible', [jobId, weak]);
    });

    it('refuses to assign after the deadline', async () => {
      await f.testClient.increaseTime({ seconds: 3_601 });
      await f.testClient.mine({ blocks: 1 });
      await expectRevert(call(w.requester, 'assignJob', [jobId, p1]), 'DeadlinePassed');
    });

    it('refuses a provider whose stake fell below its class minimum', async () => {
      const admin = f.as(f.roles.admin);
      await admin.confirm('minStake', () =>
        admin.market.write.setMinStake([HardwareClass.WorkstationGpu, aicToWei('5000')]),
      );
      await f.testClient.mine({ blocks: 1 });
      await expectRevert(call(w.requester, 'assignJob', [jobId, p1]), 'ProviderNotEligible', [jobId, p1]);
    });
  });

  describe('provider, verifier and arbiter steps', () => {
    it('lets only the assigned provider start and commit, and not after the deadline', async () => {
      const jobId = await escrowAndAssign(f, w, p1, PRICE.budget, { deadline: await deadlineIn(f, 300) });
      await expectRevert(call(p2, 'startJob', [jobId]), 'NotAssignedProvider', [jobId, p2]);
      await expectRevert(call(p2, 'commitResult', [jobId, keccak256(toHex('r')), 'cid']), 'NotAssignedProvider', [
        jobId,
        p2,
      ]);
      await f.testClient.increaseTime({ seconds: 301 });
      await f.testClient.mine({ blocks: 1 });
      await expectRevert(call(p1, 'commitResult', [jobId, keccak256(toHex('r')), 'cid']), 'DeadlinePassed');
    });

    it('accepts a verdict only from the verifier drawn by the block after the commitment', async () => {
      const jobId = await escrowAndAssign(f, w, p1, PRICE.budget);
      const designated = await commit(f, jobId, p1);
      const other = f.roles.verifiers.find((v) => v !== designated) ?? w.requester;
      await expectRevert(call(other, 'submitVerdict', [jobId, true]), 'NotDesignatedVerifier', [
        jobId,
        other,
        designated,
      ]);
    });

    it('cannot draw a verifier before the block after the commitment exists, nor when none is registered', async () => {
      const jobId = await escrowAndAssign(f, w, p1, PRICE.budget);
      const ledger = f.as(p1);
      await ledger.confirm('commit', () => ledger.market.write.commitResult([jobId, keccak256(toHex('r')), 'cid']));
      const job = await ledger.getJob(jobId);
      await expectRevert(call(f.roles.verifiers[0]!, 'submitVerdict', [jobId, true]), 'SeedNotReady', [
        jobId,
        BigInt(job.seedBlock) + 1n,
      ]);
      // Every verifier leaves (unbonding: no longer drawn).
      for (const v of f.roles.verifiers) {
        await f.as(v).confirm('exit', () => f.as(v).market.write.requestVerifierExit());
      }
      await f.testClient.mine({ blocks: 2 });
      await expectRevert(call(f.roles.verifiers[0]!, 'submitVerdict', [jobId, true]), 'NoVerifiers');
    });

    it('opens challenges to verifiers only, only inside the window, and settles only after it', async () => {
      const jobId = await escrowAndAssign(f, w, p1, PRICE.budget);
      await pass(f, jobId, await commit(f, jobId, p1));
      const job = await f.as(p1).getJob(jobId);
      await expectRevert(call(w.requester, 'challengeResult', [jobId]), 'VerifierNotRegistered', [w.requester]);
      await expectRevert(call(p1, 'settleJob', [jobId]), 'ChallengeWindowOpen', [jobId, job.challengeEnds]);
      await afterChallengeWindow(f);
      await expectRevert(call(f.roles.verifiers[0]!, 'challengeResult', [jobId]), 'ChallengeWindowClosed', [
        jobId,
        job.challengeEnds,
      ]);
    });

    it('lets only the arbiter resolve, naming a registered verifier', async () => {
      const jobId = await escrowAndAssign(f, w, p1, PRICE.budget);
      const v = await commit(f, jobId, p1);
      await f.as(v).confirm('verdict', () => f.as(v).market.write.submitVerdict([jobId, false]));
      await expectRevert(call(v, 'resolveDispute', [jobId, true, v]), 'AccessControlUnauthorizedAccount', [
        v,
        roleId('ARBITER_ROLE'),
      ]);
      await expectRevert(call(f.roles.arbiter, 'resolveDispute', [jobId, true, w.requester]), 'VerifierNotRegistered', [
        w.requester,
      ]);
    });

    it('refuses a preemption count outside [resumeFrom, checkpointCount)', async () => {
      const jobId = await escrowAndAssign(f, w, p1, PRICE.budget, { checkpointCount: 10 });
      await expectRevert(call(w.requester, 'preemptJob', [jobId, 10]), 'InvalidCheckpoint', [jobId, 10]);
      const allocator = f.as(f.roles.allocator);
      const requester = f.as(w.requester);
      await requester.confirm('preempt', () => requester.market.write.preemptJob([jobId, 5]));
      await f.testClient.mine({ blocks: 1 });
      await allocator.confirm('reassign', () => allocator.market.write.reassignJob([jobId, p2]));
      await expectRevert(call(w.requester, 'preemptJob', [jobId, 4]), 'InvalidCheckpoint', [jobId, 4]);
    });

    it('lets the requester cancel before assignment but nobody expire a live job before its deadline', async () => {
      const { jobId } = await f.as(w.requester).createAndFundJob(await jobRequest(f, w));
      const job = await f.as(w.requester).getJob(jobId);
      await expectRevert(call(p1, 'expireJob', [jobId]), 'DeadlineNotPassed', [jobId, job.deadline]);
      await f.testClient.mine({ blocks: 1 });
      const allocator = f.as(f.roles.allocator);
      await allocator.confirm('assign', () => allocator.market.write.assignJob([jobId, p1]));
      await expectRevert(call(w.requester, 'expireJob', [jobId]), 'DeadlineNotPassed', [jobId, job.deadline]);
    });
  });

  describe('stakes and governance', () => {
    it('refuses a second registration, a stake under the class minimum and an unknown provider', async () => {
      await expectRevert(call(p1, 'registerProvider', [1, aicToWei('1000'), NO_PERMIT]), 'ProviderAlreadyRegistered', [
        p1,
      ]);
      const fresh = f.roles.users[10]!;
      await expectRevert(
        call(fresh, 'registerProvider', [HardwareClass.DatacenterGpu, aicToWei('10'), NO_PERMIT]),
        'StakeBelowMinimum',
        [aicToWei('10'), aicToWei('5000')],
      );
      await expectRevert(call(fresh, 'addStake', [1n, NO_PERMIT]), 'ProviderNotRegistered', [fresh]);
      await expectRevert(call(fresh, 'withdrawStake', [1n]), 'ProviderNotRegistered', [fresh]);
    });

    it('keeps stake locked while a job is active, and above the minimum unless fully withdrawn', async () => {
      await expectRevert(call(p1, 'withdrawStake', [aicToWei('1500')]), 'StakeBelowMinimum', [
        aicToWei('500'),
        aicToWei('2000'),
      ]);
      await escrowAndAssign(f, w, p1, PRICE.budget);
      await expectRevert(call(p1, 'withdrawStake', [aicToWei('2000')]), 'ProviderHasActiveJobs', [p1, 1]);
    });

    it('withdraws the whole stake and deregisters an idle provider', async () => {
      const before = await f.as(p2).balanceOf(p2);
      await f.as(p2).confirm('withdraw', () => f.as(p2).market.write.withdrawStake([aicToWei('2000')]));
      expect((await f.as(p2).balanceOf(p2)) - before).toBe(aicToWei('2000'));
      expect((await f.as(p2).market.read.providerOf([p2])).registered).toBe(false);
    });

    it('caps the protocol fee and bps parameters, needs a verify window, refuses a zero treasury; admin only', async () => {
      const admin = f.roles.admin;
      const ok = {
        protocolFeeBps: 100,
        challengeWindowSec: 10,
        slashBps: 10_000,
        slashToVerifierBps: 5_000,
        verifyWindowSec: 60,
        assignWindowSec: 30,
        shortlistSize: 3,
      };
      await expectRevert(call(admin, 'setParams', [{ ...ok, protocolFeeBps: 1_001 }]), 'InvalidParams');
      await expectRevert(call(admin, 'setParams', [{ ...ok, verifyWindowSec: 0 }]), 'InvalidParams');
      await expectRevert(call(admin, 'setParams', [{ ...ok, shortlistSize: 0 }]), 'InvalidParams');
      await expectRevert(call(admin, 'setParams', [{ ...ok, slashBps: 10_001 }]), 'InvalidParams');
      await expectRevert(call(admin, 'setParams', [{ ...ok, slashToVerifierBps: 10_001 }]), 'InvalidParams');
      await expectRevert(call(admin, 'setTreasury', ['0x0000000000000000000000000000000000000000']), 'ZeroAddress');
      await expectRevert(call(p1, 'setParams', [ok]), 'AccessControlUnauthorizedAccount', [p1, `0x${'00'.repeat(32)}`]);
      await expectRevert(call(p1, 'setMinStake', [0, 1n]), 'AccessControlUnauthorizedAccount', [
        p1,
        `0x${'00'.repeat(32)}`,
      ]);
    });
  });
});
