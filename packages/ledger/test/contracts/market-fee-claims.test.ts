/**
 * Issue 15 (gas): settlement accrues the dataset and model fees to their assets and the protocol fee to the treasury;
 * anyone may claim an asset's fees (they go to its owner at claim time) or sweep the protocol fees (to the treasury).
 */
import { type Address, keccak256, toHex } from 'viem';
import { beforeEach, describe, expect, it } from 'vitest';
import { collectMarketIncome, marketClaimableOf } from '../../src/actions/market-income.ts';
import { AssetKind } from '../../src/types.ts';
import { type Fixture, loadFixture } from '../helpers/fixture.ts';
import {
  afterChallengeWindow,
  commit,
  escrowAndAssign,
  type MarketWorld,
  PRICE,
  pass,
  setUpMarket,
} from '../helpers/market.ts';
import { expectRevert } from '../helpers/revert.ts';

const fee = (x: bigint) => (x * 250n) / 10_000n; // minimal preset

describe('ComputeMarket fee claims', () => {
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

  async function settledJob(overrides: { modelId?: number } = {}): Promise<bigint> {
    const jobId = await escrowAndAssign(f, w, p1, PRICE.budget, overrides);
    await pass(f, jobId, await commit(f, jobId, p1));
    await afterChallengeWindow(f);
    await f.as(p1).confirm('settle', () => f.as(p1).market.write.settleJob([jobId]));
    return jobId;
  }
  /** The market holds exactly the stakes plus what it owes (credits, accrued asset and protocol fees). */
  async function expectMarketCovered(): Promise<void> {
    const m = f.as(w.requester).market;
    const held = await f.as(w.requester).balanceOf(f.deployment.contracts.ComputeMarket);
    expect(held).toBe((await m.read.totalStaked()) + (await m.read.totalOwed()));
  }

  it("accrues two jobs' dataset fees to the asset and pays them to its owner on one claim by anyone", async () => {
    await settledJob();
    await settledJob();
    const market = f.as(p2).market;
    const datasetId = BigInt(w.datasetId);
    expect(await market.read.assetFees([datasetId])).toBe(2n * PRICE.dataset);
    expect(await market.read.assetFees([BigInt(w.modelId)])).toBe(2n * PRICE.model);
    await expectMarketCovered();
    const ownerBefore = await f.as(p2).balanceOf(w.dataOwner);
    await f.as(p2).confirm('claim', () => market.write.claimAssetFees([datasetId]));
    expect((await f.as(p2).balanceOf(w.dataOwner)) - ownerBefore).toBe(2n * PRICE.dataset);
    expect(await market.read.assetFees([datasetId])).toBe(0n);
    await expectMarketCovered();
    await expectRevert(market.write.claimAssetFees([datasetId]), 'NothingToClaim', [datasetId]);
  });

  it('pays accrued fees to whoever owns the asset at claim time: a seller claims before selling', async () => {
    await settledJob();
    const buyer = f.roles.users[6]!;
    const owner = f.as(w.dataOwner);
    const datasetId = BigInt(w.datasetId);
    const [sellerBefore, buyerBefore] = await Promise.all([owner.balanceOf(w.dataOwner), owner.balanceOf(buyer)]);
    await owner.confirm('claim', () => owner.market.write.claimAssetFees([datasetId]));
    await owner.confirm('transfer', () => owner.registry.write.transferFrom([w.dataOwner, buyer, datasetId]));
    await settledJob();
    await f.as(buyer).confirm('claim', () => f.as(buyer).market.write.claimAssetFees([datasetId]));
    expect((await owner.balanceOf(w.dataOwner)) - sellerBefore).toBe(PRICE.dataset);
    expect((await owner.balanceOf(buyer)) - buyerBefore).toBe(PRICE.dataset);
  });

  it('sweeps the accrued protocol fees to the treasury (anyone may), then has nothing to sweep', async () => {
    await settledJob();
    const market = f.as(p2).market;
    expect(await market.read.protocolFeesAccrued()).toBe(fee(PRICE.budget));
    expect(await marketClaimableOf(f.as(p2), f.roles.treasury)).toBe(fee(PRICE.budget));
    const before = await f.as(p2).balanceOf(f.roles.treasury);
    await f.as(p2).confirm('sweep', () => market.write.sweepProtocolFees());
    expect((await f.as(p2).balanceOf(f.roles.treasury)) - before).toBe(fee(PRICE.budget));
    expect(await market.read.protocolFeesAccrued()).toBe(0n);
    await expectMarketCovered();
    await expectRevert(market.write.sweepProtocolFees(), 'NothingToSweep');
  });

  it("counts an owner's accrued fees as claimable and collects them with its credits in one helper call", async () => {
    await settledJob();
    const owner = f.as(w.dataOwner);
    const claimable = await marketClaimableOf(owner, w.dataOwner);
    expect(claimable).toBe(PRICE.dataset);
    const before = await owner.balanceOf(w.dataOwner);
    const collected = await collectMarketIncome(owner);
    expect(collected.claimedAssetIds).toEqual([BigInt(w.datasetId)]);
    expect((await owner.balanceOf(w.dataOwner)) - before).toBe(claimable);
    expect(await marketClaimableOf(owner, w.dataOwner)).toBe(0n);
  });

  it("leaves a lineage asset's fees out of its owner's claimable: the claim splits them through Payroll", async () => {
    const child = f.as(f.roles.users[7]!);
    const { tokenId } = await child.mintAsset({
      kind: AssetKind.TrainedAI,
      manifestCid: 'bafy-trained-claims',
      contentRoot: keccak256(toHex('trained-claims')),
      pricePerUseWei: 10n ** 19n,
      lineage: [{ parentId: BigInt(w.modelId), shareBps: 3_000 }],
    });
    await settledJob({ modelId: Number(tokenId) });
    expect(await child.market.read.assetFees([tokenId])).toBe(10n ** 19n);
    expect(await marketClaimableOf(child, child.account())).toBe(0n);
    await child.confirm('claim', () => child.market.write.claimAssetFees([tokenId]));
    expect(await child.payroll.read.owed([child.account()])).toBe(7n * 10n ** 18n);
    expect(await child.payroll.read.owed([w.modelOwner])).toBe(3n * 10n ** 18n);
    await expectMarketCovered();
  });
});
