/**
 * Staked verifiers (issue 15): verifiers stake to be drawn; a verdict a dispute proves wrong slashes the verifier
 * (a passed cheat: to the verifier proven right; a false alarm: to the provider it accused); silence past the verify
 * window costs the stated penalty (to the treasury); leaving takes an unbonding period during which the verifier is
 * no longer drawn but can still be slashed. The market always holds exactly the stakes plus what it owes.
 */
import { aicToWei } from '@aic/core';
import type { Address } from 'viem';
import { beforeEach, describe, expect, it } from 'vitest';
import { computeMarketAbi } from '../../src/artifacts/index.ts';
import { PRESETS } from '../../src/config.ts';
import { NO_PERMIT } from '../../src/types.ts';
import { contractCaller } from '../helpers/caller.ts';
import { type Fixture, loadFixture } from '../helpers/fixture.ts';
import { commit, escrowAndAssign, type MarketWorld, PRICE, pass, setUpMarket } from '../helpers/market.ts';
import { expectRevert } from '../helpers/revert.ts';

const P = PRESETS.minimal;
const MIN_STAKE = aicToWei(P.verifierMinStakeAic);
const SILENCE_PENALTY = aicToWei(P.verifierSilencePenaltyAic);
const slashOf = (stake: bigint) => (stake * BigInt(P.verifierSlashBps)) / 10_000n;

describe('ComputeMarket staked verifiers', () => {
  let f: Fixture;
  let w: MarketWorld;
  let p1: Address;

  beforeEach(async () => {
    f = await loadFixture();
    await f.reset();
    w = await setUpMarket(f);
    p1 = w.providers[0]!;
  });

  const call = (who: Address, fn: string, args: readonly unknown[]) =>
    contractCaller(f, f.deployment.contracts.ComputeMarket, computeMarketAbi).call(who, fn, args);
  const market = () => f.as(w.requester).market;
  const stakeOf = async (v: Address) => (await market().read.verifierOf([v])).stake;
  const owed = async (a: Address) => await market().read.owed([a]);
  /** The market holds exactly the stakes, what it owes, and the escrow of job `jobId` (still open or not). */
  const expectBalanced = async (jobId: bigint) => {
    const held = await f.as(w.requester).token.read.balanceOf([f.deployment.contracts.ComputeMarket]);
    const { escrow } = await f.as(w.requester).getJob(jobId);
    expect(held).toBe((await market().read.totalStaked()) + (await market().read.totalOwed()) + escrow);
  };

  async function register(v: Address, stake: bigint): Promise<void> {
    const ledger = f.as(v);
    const permit = await ledger.signPermit(ledger.market.address, stake);
    await ledger.confirm('registerVerifier', () => ledger.market.write.registerVerifier([stake, permit]));
  }

  it('draws only staked, bonded verifiers and refuses a stake under the minimum or a second registration', async () => {
    const fresh = f.roles.users[9]!;
    await expectRevert(call(fresh, 'registerVerifier', [1n, NO_PERMIT]), 'StakeBelowMinimum', [1n, MIN_STAKE]);
    await register(fresh, MIN_STAKE);
    await expectRevert(call(fresh, 'registerVerifier', [MIN_STAKE, NO_PERMIT]), 'VerifierAlreadyRegistered', [fresh]);
    expect(await market().read.verifierCount()).toBe(BigInt(f.roles.verifiers.length + 1));
    // Everyone but `fresh` leaves: every draw is `fresh`.
    for (const v of f.roles.verifiers) await f.as(v).confirm('exit', () => f.as(v).market.write.requestVerifierExit());
    for (let i = 0; i < 3; i++) {
      const jobId = await escrowAndAssign(f, w, p1, PRICE.budget);
      expect(await commit(f, jobId, p1)).toBe(fresh);
    }
  });

  it('slashes a verifier that passed a cheat, to the verifier proven right', async () => {
    const jobId = await escrowAndAssign(f, w, p1, PRICE.budget);
    const lazy = await commit(f, jobId, p1);
    const right = f.roles.verifiers.find((v) => v !== lazy)!;
    await pass(f, jobId, lazy);
    await f.as(right).confirm('challenge', () => f.as(right).market.write.challengeResult([jobId]));
    const [stakeBefore, owedBefore] = [await stakeOf(lazy), await owed(right)];
    const arbiter = f.as(f.roles.arbiter);
    await arbiter.confirm('resolve', () => arbiter.market.write.resolveDispute([jobId, true, right]));
    expect(await stakeOf(lazy)).toBe(stakeBefore - slashOf(stakeBefore));
    // The right verifier: the slashed verifier stake, the job's verifier fee and its share of the provider's stake.
    const providerSlash = aicToWei('2000'); // slashBps 100 % of p1's stake
    const toVerifier = (providerSlash * BigInt(P.slashToVerifierBps)) / 10_000n;
    expect((await owed(right)) - owedBefore).toBe(slashOf(stakeBefore) + PRICE.verifier + toVerifier);
    await expectBalanced(jobId);
  });

  it('slashes a verifier that flagged an honest result, to the provider it accused', async () => {
    const jobId = await escrowAndAssign(f, w, p1, PRICE.budget);
    const alarmist = await commit(f, jobId, p1);
    const right = f.roles.verifiers.find((v) => v !== alarmist)!;
    await f.as(alarmist).confirm('verdict', () => f.as(alarmist).market.write.submitVerdict([jobId, false]));
    const stakeBefore = await stakeOf(alarmist);
    const arbiter = f.as(f.roles.arbiter);
    await arbiter.confirm('resolve', () => arbiter.market.write.resolveDispute([jobId, false, right]));
    expect(await stakeOf(alarmist)).toBe(stakeBefore - slashOf(stakeBefore));
    expect(await owed(p1)).toBe(slashOf(stakeBefore));
    await expectBalanced(jobId);
  });

  it('leaves a verifier whose verdict the dispute upheld untouched', async () => {
    const jobId = await escrowAndAssign(f, w, p1, PRICE.budget);
    const honest = await commit(f, jobId, p1);
    await f.as(honest).confirm('verdict', () => f.as(honest).market.write.submitVerdict([jobId, false]));
    const stakeBefore = await stakeOf(honest);
    const arbiter = f.as(f.roles.arbiter);
    await arbiter.confirm('resolve', () => arbiter.market.write.resolveDispute([jobId, true, honest]));
    expect(await stakeOf(honest)).toBe(stakeBefore);
  });

  it('takes the stated silence penalty from a drawn verifier silent past the verify window', async () => {
    const jobId = await escrowAndAssign(f, w, p1, PRICE.budget);
    const silent = await commit(f, jobId, p1);
    const [stakeBefore, treasuryBefore] = [await stakeOf(silent), await owed(f.roles.treasury)];
    await f.testClient.increaseTime({ seconds: P.verifyWindowSec + 1 });
    await f.testClient.mine({ blocks: 1 });
    await f.as(p1).confirm('redraw', () => f.as(p1).market.write.redrawVerifier([jobId]));
    expect(await stakeOf(silent)).toBe(stakeBefore - SILENCE_PENALTY);
    expect((await owed(f.roles.treasury)) - treasuryBefore).toBe(SILENCE_PENALTY);
    await expectBalanced(jobId);
  });

  it('returns the stake only after the unbonding period, and can still slash during it', async () => {
    const jobId = await escrowAndAssign(f, w, p1, PRICE.budget);
    const leaving = await commit(f, jobId, p1);
    await pass(f, jobId, leaving);
    const ledger = f.as(leaving);
    await ledger.confirm('exit', () => ledger.market.write.requestVerifierExit());
    const { exitAt } = await market().read.verifierOf([leaving]);
    await expectRevert(call(leaving, 'withdrawVerifierStake', []), 'VerifierStillBonded', [leaving, exitAt]);
    const right = f.roles.verifiers.find((v) => v !== leaving)!;
    await f.as(right).confirm('challenge', () => f.as(right).market.write.challengeResult([jobId]));
    const stakeBefore = await stakeOf(leaving);
    const arbiter = f.as(f.roles.arbiter);
    await arbiter.confirm('resolve', () => arbiter.market.write.resolveDispute([jobId, true, right]));
    const left = stakeBefore - slashOf(stakeBefore);
    await f.testClient.increaseTime({ seconds: P.verifierUnbondingSec + 1 });
    await f.testClient.mine({ blocks: 1 });
    const before = await ledger.balanceOf(leaving);
    await ledger.confirm('withdraw', () => ledger.market.write.withdrawVerifierStake());
    expect((await ledger.balanceOf(leaving)) - before).toBe(left);
    expect((await market().read.verifierOf([leaving])).registered).toBe(false);
    await expectBalanced(jobId);
  });
});
