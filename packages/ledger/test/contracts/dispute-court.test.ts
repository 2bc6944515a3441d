/**
 * DisputeCourt (issue 15): a dispute is heard by a committee drawn from the staked verifiers by the hash of the block
 * after the case opened (the parties excluded), its majority rules, the loser may appeal once with a bond to a fresh
 * committee twice the size whose majority is final; wrong and silent referees pay; ARBITER_ROLE rules only while no
 * committee can be drawn.
 */
import { aicToWei } from '@aic/core';
import { minimalPreset } from '@aic/core/params';
import { type Address, maxUint256 } from 'viem';
import { beforeEach, describe, expect, it } from 'vitest';
import { computeMarketAbi, disputeCourtAbi } from '../../src/artifacts/index.ts';
import { PRESETS } from '../../src/config.ts';
import { jobStateName, NO_PERMIT } from '../../src/types.ts';
import { contractCaller } from '../helpers/caller.ts';
import { type Fixture, loadFixture } from '../helpers/fixture.ts';
import { commit, escrowAndAssign, type MarketWorld, PRICE, pass, setUpMarket } from '../helpers/market.ts';
import { expectRevert } from '../helpers/revert.ts';

const P = PRESETS.minimal;
const C = minimalPreset.contracts;
const MIN_STAKE = aicToWei(P.verifierMinStakeAic);
const BOND = aicToWei(C.courtAppealBondAic);
const SIZE = C.courtCommitteeSize;

describe('DisputeCourt', () => {
  let f: Fixture;
  let w: MarketWorld;
  let p1: Address;
  let court: Address;

  beforeEach(async () => {
    f = await loadFixture();
    await f.reset();
    w = await setUpMarket(f);
    p1 = w.providers[0]!;
    court = await f.as(w.requester).market.read.court();
  });

  const market = () => contractCaller(f, f.deployment.contracts.ComputeMarket, computeMarketAbi);
  const judge = () => contractCaller(f, court, disputeCourtAbi);
  const read = () => ({
    court: (fn: string, args: readonly unknown[]) =>
      f.publicClient.readContract({ address: court, abi: disputeCourtAbi, functionName: fn, args } as never),
  });
  const stakeOf = async (v: Address) => (await f.as(w.requester).market.read.verifierOf([v])).stake;
  const seats = async (jobId: bigint, round: number) =>
    (await read().court('committeeOf', [jobId, round])) as readonly Address[];

  /** Ten more staked verifiers (users 5–14): enough for a committee of 3 and an appeal of 6 besides the parties. */
  async function moreVerifiers(count = 10): Promise<Address[]> {
    const added = f.roles.users.slice(5, 5 + count) as Address[];
    for (const v of added) {
      const ledger = f.as(v);
      const permit = await ledger.signPermit(ledger.market.address, MIN_STAKE);
      await ledger.confirm('registerVerifier', () => ledger.market.write.registerVerifier([MIN_STAKE, permit]));
    }
    return added;
  }

  /** A committed job flagged by its drawn verifier (→ Disputed; the court opens the case). */
  async function flagged(provider = p1): Promise<{ jobId: bigint; verifier: Address }> {
    const jobId = await escrowAndAssign(f, w, provider, PRICE.budget);
    const verifier = await commit(f, jobId, provider);
    const ledger = f.as(verifier);
    await ledger.confirm('submitVerdict', () => ledger.market.write.submitVerdict([jobId, false]));
    return { jobId, verifier };
  }

  async function votes(jobId: bigint, referees: readonly Address[], providerCheated: boolean): Promise<void> {
    for (const r of referees) await judge().send(r, 'vote', [jobId, providerCheated]);
  }

  it('draws a committee from the block after the case opened, without the parties; its majority rules', async () => {
    await moreVerifiers();
    const { jobId, verifier } = await flagged();
    const anyone = w.modelOwner;
    await expectRevert(judge().call(anyone, 'drawCommittee', [jobId]), 'SeedNotReady');
    await f.testClient.mine({ blocks: 2 });
    await judge().send(anyone, 'drawCommittee', [jobId]);
    await expectRevert(judge().call(anyone, 'drawCommittee', [jobId]), 'AlreadyDrawn', [jobId, 1]);
    const committee = await seats(jobId, 1);
    expect(committee).toHaveLength(SIZE);
    expect(new Set(committee).size).toBe(SIZE);
    for (const party of [p1, verifier]) expect(committee).not.toContain(party);
    await expectRevert(judge().call(anyone, 'vote', [jobId, true]), 'NotReferee', [jobId, anyone]);
    await votes(jobId, committee.slice(0, 2), true);
    await expectRevert(judge().call(committee[0]!, 'vote', [jobId, true]), 'AlreadyVoted', [jobId, committee[0]]);
    await expectRevert(judge().call(anyone, 'rule', [jobId]), 'VoteWindowOpen');
    await votes(jobId, committee.slice(2), false);
    await judge().send(anyone, 'rule', [jobId]);
    const ruled = (await read().court('caseOf', [jobId])) as { ruled: boolean; firstRuling: boolean };
    expect(ruled).toMatchObject({ ruled: true, firstRuling: true });
    await expectRevert(judge().call(anyone, 'execute', [jobId]), 'AppealWindowOpen');
    // Only the loser (the provider, ruled a cheat) may appeal.
    await expectRevert(judge().call(verifier, 'appeal', [jobId, NO_PERMIT]), 'NotLoser', [jobId, verifier]);
    const providerStake = (await f.as(w.requester).market.read.providerOf([p1])).stake;
    const minorityStake = await stakeOf(committee[2]!);
    await f.testClient.increaseTime({ seconds: C.courtAppealWindowSec + 1 });
    await f.testClient.mine({ blocks: 2 });
    await judge().send(anyone, 'execute', [jobId]);
    await expectRevert(judge().call(anyone, 'execute', [jobId]), 'CaseIsClosed', [jobId]);
    const job = await f.as(w.requester).getJob(jobId);
    expect(jobStateName(job.state)).toBe('Slashed');
    expect((await f.as(w.requester).market.read.providerOf([p1])).stake).toBeLessThan(providerStake);
    // The referee that voted against the ruling lost the verifier slash share.
    expect(await stakeOf(committee[2]!)).toBe(minorityStake - (minorityStake * BigInt(P.verifierSlashBps)) / 10_000n);
    const resolved = await f.publicClient.getContractEvents({
      address: f.deployment.contracts.ComputeMarket,
      abi: computeMarketAbi,
      eventName: 'DisputeResolved',
      fromBlock: 0n,
    });
    expect(resolved.find((e) => e.args.jobId === jobId)?.args).toMatchObject({ providerCheated: true });
    expect(resolved.find((e) => e.args.jobId === jobId)?.args.rightVerifier).toBe(verifier);
  });

  it('reverses a lying majority on appeal: the bond comes back, liars are slashed, silence is penalized', async () => {
    await moreVerifiers();
    const jobId = await escrowAndAssign(f, w, p1, PRICE.budget);
    const passedBy = await commit(f, jobId, p1);
    await pass(f, jobId, passedBy);
    const challenger = f.roles.verifiers.find((v) => v !== passedBy)!;
    await f.as(challenger).confirm('challenge', () => f.as(challenger).market.write.challengeResult([jobId]));
    await f.testClient.mine({ blocks: 2 });
    await judge().send(challenger, 'drawCommittee', [jobId]);
    const first = await seats(jobId, 1);
    expect(first).not.toContain(challenger);
    expect(first).not.toContain(passedBy);
    // Two liars say the provider was honest, one referee says it cheated: the first ruling is wrong.
    await votes(jobId, first.slice(0, 2), false);
    await votes(jobId, first.slice(2), true);
    await judge().send(challenger, 'rule', [jobId]);
    expect(((await read().court('caseOf', [jobId])) as { firstRuling: boolean }).firstRuling).toBe(false);
    await expectRevert(judge().call(p1, 'appeal', [jobId, NO_PERMIT]), 'NotLoser', [jobId, p1]);
    await f.as(w.requester).confirm('fund', () => f.as(w.requester).token.write.transfer([challenger, BOND]));
    await f.as(challenger).confirm('approve', () => f.as(challenger).token.write.approve([court, maxUint256]));
    const balanceBefore = await f.as(challenger).balanceOf(challenger);
    await judge().send(challenger, 'appeal', [jobId, NO_PERMIT]);
    expect(await f.as(challenger).balanceOf(challenger)).toBe(balanceBefore - BOND);
    await expectRevert(judge().call(challenger, 'appeal', [jobId, NO_PERMIT]), 'AlreadyAppealed', [jobId]);
    await f.testClient.mine({ blocks: 2 });
    await judge().send(challenger, 'drawCommittee', [jobId]);
    const second = await seats(jobId, 2);
    expect(second).toHaveLength(2 * SIZE);
    for (const r of first) expect(second).not.toContain(r);
    await votes(jobId, second.slice(0, 2 * SIZE - 1), true); // the last one stays silent
    const stakes = await Promise.all([...first, ...second].map(stakeOf));
    await expectRevert(judge().call(challenger, 'rule', [jobId]), 'VoteWindowOpen');
    await f.testClient.increaseTime({ seconds: C.courtVoteWindowSec + 1 });
    await f.testClient.mine({ blocks: 2 });
    await judge().send(challenger, 'rule', [jobId]);
    expect(jobStateName((await f.as(w.requester).getJob(jobId)).state)).toBe('Slashed');
    expect(await f.as(challenger).balanceOf(challenger)).toBe(balanceBefore);
    const after = await Promise.all([...first, ...second].map(stakeOf));
    const slashed = (s: bigint) => s - (s * BigInt(P.verifierSlashBps)) / 10_000n;
    expect(after.slice(0, 2)).toEqual(stakes.slice(0, 2).map(slashed)); // the liars
    expect(after[2]).toBe(stakes[2]); // the honest first referee
    expect(after.slice(3, 3 + 2 * SIZE - 1)).toEqual(stakes.slice(3, 3 + 2 * SIZE - 1));
    expect(after[3 + 2 * SIZE - 1]).toBe(stakes[3 + 2 * SIZE - 1]! - aicToWei(P.verifierSilencePenaltyAic));
    // The verifier that passed the cheat was slashed by the market, to the challenger.
    expect(await stakeOf(passedBy)).toBeLessThan(MIN_STAKE);
  });

  it("splits a losing appellant's bond among the appeal's majority", async () => {
    await moreVerifiers();
    const { jobId } = await flagged();
    await f.testClient.mine({ blocks: 2 });
    await judge().send(w.modelOwner, 'drawCommittee', [jobId]);
    await votes(jobId, await seats(jobId, 1), true);
    await judge().send(w.modelOwner, 'rule', [jobId]);
    await f.as(p1).confirm('approve', () => f.as(p1).token.write.approve([court, maxUint256]));
    await judge().send(p1, 'appeal', [jobId, NO_PERMIT]);
    await f.testClient.mine({ blocks: 2 });
    await judge().send(w.modelOwner, 'drawCommittee', [jobId]);
    const second = await seats(jobId, 2);
    for (const r of [...(await seats(jobId, 1)), p1]) expect(second).not.toContain(r);
    const before = await Promise.all(second.map((r) => f.as(r).balanceOf(r)));
    await votes(jobId, second, true);
    await judge().send(w.modelOwner, 'rule', [jobId]);
    const after = await Promise.all(second.map((r) => f.as(r).balanceOf(r)));
    const share = BOND / BigInt(second.length);
    expect(after.map((b, i) => b - before[i]!)).toEqual(second.map(() => share));
  });

  it('waits when too few verifiers can be drawn; only then may ARBITER_ROLE rule', async () => {
    const { jobId, verifier } = await flagged();
    await f.testClient.mine({ blocks: 2 });
    // Two dev verifiers, one of them the flagging verifier: nobody else to draw.
    await expectRevert(judge().call(w.modelOwner, 'drawCommittee', [jobId]), 'NotEnoughReferees');
    expect(await read().court('fallbackOpen', [jobId])).toBe(true);
    await market().send(f.roles.arbiter, 'resolveDispute', [jobId, true, verifier]);
    expect(jobStateName((await f.as(w.requester).getJob(jobId)).state)).toBe('Slashed');
    await expectRevert(judge().call(w.modelOwner, 'drawCommittee', [jobId]), 'CaseIsClosed', [jobId]);

    await moreVerifiers();
    const second = await flagged(w.providers[1]); // p1 was slashed out
    await expectRevert(
      market().call(f.roles.arbiter, 'resolveDispute', [second.jobId, true, second.verifier]),
      'CourtSeated',
      [second.jobId],
    );
    await expectRevert(judge().call(w.requester, 'open', [second.jobId, w.requester]), 'NotMarket', [w.requester]);
    await expectRevert(market().call(w.requester, 'penalizeReferees', [second.jobId, [], []]), 'NotCourt', [
      w.requester,
    ]);
    await expectRevert(market().call(f.roles.admin, 'setCourt', [w.requester]), 'CourtSeated', [0n]);
  });
});
