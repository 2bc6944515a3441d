/** ComputeMarket money flows: every party's balance changes by exactly what the escrow promised. */
import { aicToWei } from '@aic/core';
import { type Address, keccak256, toHex } from 'viem';
import { beforeEach, describe, expect, it } from 'vitest';
import { marketClaimableOf } from '../../src/actions/market-income.ts';
import { AssetKind } from '../../src/types.ts';
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
  setUpMarket,
} from '../helpers/market.ts';

const FEE_BPS = 250n; // minimal preset
const fee = (x: bigint) => (x * FEE_BPS) / 10_000n;

describe('ComputeMarket lifecycle', () => {
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

  /** What each account holds plus what the market will pay it (credits, its assets' fees, the treasury's fees). */
  const balances = async (who: Address[]) =>
    Promise.all(who.map(async (a) => (await f.as(a).balanceOf(a)) + (await marketClaimableOf(f.as(a), a))));
  const marketBalance = () => f.as(w.requester).balanceOf(f.deployment.contracts.ComputeMarket);
  /** The market holds exactly the stakes plus what it owes, once no job is open. */
  const stakes = async () =>
    (await f.as(w.requester).market.read.totalStaked()) + (await f.as(w.requester).market.read.totalOwed());

  it('quotes the escrow as budget + protocol fee + dataset, model and verifier fees', async () => {
    const quote = await f.as(w.requester).quoteJob(await jobRequest(f, w));
    expect(quote.datasetFeeWei).toBe(PRICE.dataset);
    expect(quote.modelFeeWei).toBe(PRICE.model);
    expect(quote.protocolFeeWei).toBe(fee(PRICE.budget));
    expect(quote.totalWei).toBe(PRICE.budget + fee(PRICE.budget) + PRICE.dataset + PRICE.model + PRICE.verifier);
  });

  it('settles the provider, treasury, owners and verifier exactly and refunds the rest after the challenge window', async () => {
    const price = aicToWei('60');
    const parties = [w.requester, p1, f.roles.treasury, w.dataOwner, w.modelOwner];
    const before = await balances(parties);
    const jobId = await escrowAndAssign(f, w, p1, price);
    const verifier = await commit(f, jobId, p1);
    await pass(f, jobId, verifier);
    const [verifierBefore] = await balances([verifier]);
    await afterChallengeWindow(f);
    await f.as(p2).confirm('settle', () => f.as(p2).market.write.settleJob([jobId]));

    const after = await balances(parties);
    // The budget was the price (a fixed-price job): nothing is refunded, the requester paid exactly the escrow.
    const escrow = price + fee(price) + PRICE.dataset + PRICE.model + PRICE.verifier;
    expect(after[0]! - before[0]!).toBe(-escrow);
    expect(after[1]! - before[1]!).toBe(price);
    expect(after[2]! - before[2]!).toBe(fee(price));
    expect(after[3]! - before[3]!).toBe(PRICE.dataset);
    expect(after[4]! - before[4]!).toBe(PRICE.model);
    expect((await balances([verifier]))[0]! - verifierBefore!).toBe(PRICE.verifier);
    expect(await marketBalance()).toBe(await stakes());
    const job = await f.as(w.requester).getJob(jobId);
    expect(job.stateName).toBe('Settled');
    expect(job.escrow).toBe(0n);
    expect((await f.as(p1).market.read.providerOf([p1])).activeJobs).toBe(0);
  });

  it('pays the dataset fee to whoever owns the dataset NFT when its fees are claimed', async () => {
    const jobId = await escrowAndAssign(f, w, p1, PRICE.budget);
    const buyer = f.roles.users[6]!;
    const owner = f.as(w.dataOwner);
    await owner.confirm('transfer', () => owner.registry.write.transferFrom([w.dataOwner, buyer, BigInt(w.datasetId)]));
    const [sellerBefore, buyerBefore] = await balances([w.dataOwner, buyer]);
    await pass(f, jobId, await commit(f, jobId, p1));
    await afterChallengeWindow(f);
    await f.as(p1).confirm('settle', () => f.as(p1).market.write.settleJob([jobId]));
    const [sellerAfter, buyerAfter] = await balances([w.dataOwner, buyer]);
    expect(sellerAfter).toBe(sellerBefore);
    expect(buyerAfter! - buyerBefore!).toBe(PRICE.dataset);
  });

  it('pays the model fee of a model with lineage through Payroll to the upstream owners', async () => {
    const child = f.as(f.roles.users[7]!);
    const { tokenId } = await child.mintAsset({
      kind: AssetKind.TrainedAI,
      manifestCid: 'bafy-trained',
      contentRoot: keccak256(toHex('trained')),
      pricePerUseWei: aicToWei('10'),
      lineage: [{ parentId: BigInt(w.modelId), shareBps: 3_000 }],
    });
    const jobId = await escrowAndAssign(f, w, p1, PRICE.budget, { modelId: Number(tokenId) });
    await pass(f, jobId, await commit(f, jobId, p1));
    await afterChallengeWindow(f);
    await f.as(p1).confirm('settle', () => f.as(p1).market.write.settleJob([jobId]));
    const payroll = f.as(w.requester).payroll;
    expect(await payroll.read.owed([w.modelOwner])).toBe(0n); // accrued to the asset until claimed
    await f.as(p2).confirm('claim', () => f.as(p2).market.write.claimAssetFees([tokenId]));
    expect(await payroll.read.owed([w.modelOwner])).toBe(aicToWei('3'));
    expect(await payroll.read.owed([child.account()])).toBe(aicToWei('7'));
  });

  it('pays a preempted provider for its verified checkpoints and the new provider for the rest', async () => {
    const price = aicToWei('50');
    const [b1, b2, bt, br] = await balances([p1, p2, f.roles.treasury, w.requester]);
    const jobId = await escrowAndAssign(f, w, p1, price, { checkpointCount: 10 });
    const requester = f.as(w.requester);
    await requester.confirm('preempt', () => requester.market.write.preemptJob([jobId, 4]));
    const partial = (price * 4n) / 10n;
    expect((await balances([p1]))[0]! - b1!).toBe(partial);
    await f.testClient.mine({ blocks: 1 });
    const price2 = price - partial; // what the budget has left, for the remaining 6 checkpoints
    const anyone = f.as(w.modelOwner);
    await anyone.confirm('reassign', () => anyone.market.write.reassignJob([jobId, p2]));
    const job = await f.as(w.requester).getJob(jobId);
    expect(job.stateName).toBe('Reassigned');
    expect(job.resumeFrom).toBe(4);
    await f.as(p2).confirm('start', () => f.as(p2).market.write.startJob([jobId]));
    await pass(f, jobId, await commit(f, jobId, p2));
    await afterChallengeWindow(f);
    await f.as(p2).confirm('settle', () => f.as(p2).market.write.settleJob([jobId]));
    const [a1, a2, at, ar] = await balances([p1, p2, f.roles.treasury, w.requester]);
    expect(a1! - b1!).toBe(partial);
    expect(a2! - b2!).toBe(price2);
    expect(at! - bt!).toBe(fee(partial) + fee(price2));
    const spent = partial + fee(partial) + price2 + fee(price2) + PRICE.dataset + PRICE.model + PRICE.verifier;
    expect(br! - ar!).toBe(spent);
    expect(await marketBalance()).toBe(await stakes());
  });

  it('slashes a provider proven to cheat: stake to requester and proving verifier, escrow back to the requester', async () => {
    const stakeBefore = (await f.as(p1).market.read.providerOf([p1])).stake;
    const [br] = await balances([w.requester]);
    const jobId = await escrowAndAssign(f, w, p1, PRICE.budget);
    const verifier = await commit(f, jobId, p1);
    const [bv] = await balances([verifier]);
    await f.as(verifier).confirm('verdict', () => f.as(verifier).market.write.submitVerdict([jobId, false]));
    const arbiter = f.as(f.roles.arbiter);
    await arbiter.confirm('resolve', () => arbiter.market.write.resolveDispute([jobId, true, verifier]));
    const slashed = stakeBefore; // slashBps = 100 % in the minimal preset
    const toVerifier = slashed / 2n;
    const [ar, av] = await balances([w.requester, verifier]);
    expect(ar! - br!).toBe(slashed - toVerifier - PRICE.verifier);
    expect(av! - bv!).toBe(PRICE.verifier + toVerifier);
    expect((await f.as(p1).market.read.providerOf([p1])).stake).toBe(0n);
    expect((await f.as(w.requester).getJob(jobId)).stateName).toBe('Slashed');
    expect(await marketBalance()).toBe(await stakes());
  });

  it('lets a result that survives a dispute settle at once, paying the verifier proven right', async () => {
    const jobId = await escrowAndAssign(f, w, p1, PRICE.budget);
    const verifier = await commit(f, jobId, p1);
    await pass(f, jobId, verifier);
    const challenger = f.roles.verifiers.find((v) => v !== verifier) ?? verifier;
    await f.as(challenger).confirm('challenge', () => f.as(challenger).market.write.challengeResult([jobId]));
    expect((await f.as(w.requester).getJob(jobId)).stateName).toBe('Disputed');
    const arbiter = f.as(f.roles.arbiter);
    await arbiter.confirm('resolve', () => arbiter.market.write.resolveDispute([jobId, false, verifier]));
    const [bv, bp] = await balances([verifier, p1]);
    await f.as(p1).confirm('settle', () => f.as(p1).market.write.settleJob([jobId]));
    const [av, ap] = await balances([verifier, p1]);
    expect(av! - bv!).toBe(PRICE.verifier);
    expect(ap! - bp!).toBe(PRICE.budget);
    expect((await f.as(p1).market.read.providerOf([p1])).stake).toBe(aicToWei('2000'));
  });

  it('expires a job whose provider never committed and refunds everything, without touching the stake', async () => {
    const [br] = await balances([w.requester]);
    const jobId = await escrowAndAssign(f, w, p1, PRICE.budget, { deadline: await deadlineIn(f, 120) });
    await f.testClient.increaseTime({ seconds: 121 });
    await f.testClient.mine({ blocks: 1 });
    const anyone = f.as(p2);
    await anyone.confirm('expire', () => anyone.market.write.expireJob([jobId]));
    expect((await f.as(w.requester).getJob(jobId)).stateName).toBe('Expired');
    await anyone.confirm('refund', () => anyone.market.write.refundJob([jobId]));
    const [ar] = await balances([w.requester]);
    expect(ar).toBe(br);
    const provider = await f.as(p1).market.read.providerOf([p1]);
    expect(provider.activeJobs).toBe(0);
    expect(provider.stake).toBe(aicToWei('2000'));
    expect(await marketBalance()).toBe(await stakes());
  });

  it('records the assignment seed from the block after the escrow, reproducible by anyone', async () => {
    const { jobId } = await f.as(w.requester).createAndFundJob(await jobRequest(f, w));
    const job = await f.as(w.requester).getJob(jobId);
    await f.testClient.mine({ blocks: 2 });
    const seed = await f.as(w.requester).market.read.assignmentSeed([jobId]);
    const block = await f.publicClient.getBlock({ blockNumber: BigInt(job.seedBlock) + 1n });
    const { encodeAbiParameters } = await import('viem');
    expect(seed).toBe(
      BigInt(keccak256(encodeAbiParameters([{ type: 'bytes32' }, { type: 'uint256' }], [block.hash, jobId]))),
    );
    const anyone = f.as(w.modelOwner);
    const receipt = await anyone.confirm('assign', () => anyone.market.write.assignJob([jobId, p1]));
    const logs = await f.publicClient.getContractEvents({
      address: f.deployment.contracts.ComputeMarket,
      abi: anyone.market.abi,
      eventName: 'JobAssigned',
      blockHash: receipt.blockHash,
    });
    expect(logs[0]?.args.seed).toBe(seed);
  });
});

describe('ComputeMarket pull payments', () => {
  it('credits settlement payouts and lets each party withdraw once, leaving nothing behind', async () => {
    const f = await loadFixture();
    await f.reset();
    const w = await setUpMarket(f);
    const p1 = w.providers[0]!;
    const jobId = await escrowAndAssign(f, w, p1, PRICE.budget);
    await pass(f, jobId, await commit(f, jobId, p1));
    await afterChallengeWindow(f);
    await f.as(p1).confirm('settle', () => f.as(p1).market.write.settleJob([jobId]));
    const ledger = f.as(p1);
    expect(await ledger.market.read.owed([p1])).toBe(PRICE.budget);
    const before = await ledger.balanceOf(p1);
    await ledger.confirm('withdraw', () => ledger.market.write.withdraw());
    expect((await ledger.balanceOf(p1)) - before).toBe(PRICE.budget);
    expect(await ledger.market.read.owed([p1])).toBe(0n);
    await expect(ledger.confirm('withdraw again', () => ledger.market.write.withdraw())).rejects.toMatchObject({
      code: 'LEDGER_REVERTED',
      details: { errorName: 'NothingToWithdraw' },
    });
  });
});
