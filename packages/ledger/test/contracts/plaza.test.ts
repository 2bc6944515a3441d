import { type Abi, type Address, getContract, zeroAddress, zeroHash } from 'viem';
import { describe, expect, it } from 'vitest';
import { artifacts } from '../../src/artifacts/index.ts';
import { NO_PERMIT } from '../../src/types.ts';
import type { Fixture } from '../helpers/fixture.ts';
import { expectEvent, expectRevert, mined, normalized } from './behaviors/chain-assertions.ts';
import { AIC, assetInput, mint, now, travel, users, watchBalances } from './behaviors/ledger-helpers.ts';
import { useScenario } from './behaviors/scenario.ts';

const DAY = 86_400n;
const FEE_BPS = 250n; // the minimal preset's PLAZA fee

/** Approves PLAZA to pull `amount` AIC from `payer` (the path without a permit). */
async function allowPlaza(f: Fixture, payer: Address, amount: bigint) {
  await mined(f.publicClient, f.as(payer).token.write.approve([f.deployment.contracts.Plaza, amount]));
}

const fee = (amount: bigint) => (amount * FEE_BPS) / 10_000n;

describe('Plaza', () => {
  // Alice owns asset 1 (1 AIC per use, 10 % sale royalty to Dave) and has approved PLAZA for all her NFTs.
  const scenario = useScenario(async (f) => {
    const { alice, dave } = users(f);
    await mint(f, alice, assetInput({ royaltyReceiver: dave, royaltyBps: 1_000n }));
    await mined(f.publicClient, f.as(alice).registry.write.setApprovalForAll([f.deployment.contracts.Plaza, true]));
  });

  describe('fixed-price sales', () => {
    it('pays the royalty, the protocol fee and the seller exactly, and hands the NFT to the buyer', async () => {
      const { f } = scenario();
      const { alice, bob, dave } = users(f);
      const price = 1_000n * AIC;
      await mined(f.publicClient, f.as(alice).plaza.write.listForSale([1n, price]));
      await allowPlaza(f, bob, price);
      const watch = await watchBalances(f, [alice, bob, dave, f.roles.treasury, f.deployment.contracts.Plaza]);
      const receipt = await mined(f.publicClient, f.as(bob).plaza.write.buy([1n, price, NO_PERMIT]));
      const royalty = price / 10n;
      expect(await watch.delta()).toEqual([price - royalty - fee(price), -price, royalty, fee(price), 0n]);
      expect(normalized(await f.as(bob).registry.read.ownerOf([1n]))).toBe(normalized(bob));
      expect((await f.as(bob).plaza.read.saleOf([1n])).seller).toBe(zeroAddress);
      expectEvent(receipt, f.as(bob).plaza, 'Sold', {
        tokenId: 1n,
        seller: alice,
        buyer: bob,
        price,
        royalty,
        fee: fee(price),
      });
    });

    it('takes a permit instead of a prior approve', async () => {
      const { f } = scenario();
      const { alice, bob } = users(f);
      const price = 500n * AIC;
      await mined(f.publicClient, f.as(alice).plaza.write.listForSale([1n, price]));
      expect(await f.as(bob).token.read.allowance([bob, f.deployment.contracts.Plaza])).toBe(0n);
      const permit = await f.as(bob).signPermit(f.deployment.contracts.Plaza, price);
      await mined(f.publicClient, f.as(bob).plaza.write.buy([1n, price, permit]));
      expect(normalized(await f.as(bob).registry.read.ownerOf([1n]))).toBe(normalized(bob));
      expect(await f.as(bob).token.read.nonces([bob])).toBe(1n);
    });

    it('still pays the seller 65 % when both the royalty (25 %) and the fee (10 %) are at their caps', async () => {
      const { f } = scenario();
      const { bob, carol, dave } = users(f);
      await mined(f.publicClient, f.as(f.roles.admin).plaza.write.setFee([1_000]));
      const id = await mint(f, carol, assetInput({ royaltyReceiver: dave, royaltyBps: 2_500n }));
      await mined(f.publicClient, f.as(carol).registry.write.approve([f.deployment.contracts.Plaza, id]));
      await mined(f.publicClient, f.as(carol).plaza.write.listForSale([id, 100n]));
      await allowPlaza(f, bob, 100n);
      const watch = await watchBalances(f, [carol, dave, f.roles.treasury]);
      await mined(f.publicClient, f.as(bob).plaza.write.buy([id, 100n, NO_PERMIT]));
      expect(await watch.delta()).toEqual([65n, 25n, 10n]);
    });

    it('refuses to list an asset PLAZA may not transfer (PlazaNotApproved)', async () => {
      const { f } = scenario();
      const { carol } = users(f);
      const id = await mint(f, carol);
      await expectRevert(f.as(carol).plaza.write.listForSale([id, 1n]), 'PlazaNotApproved', [id]);
    });

    it('lets only the owner or an approved account list or cancel (NotAssetOwnerOrApproved)', async () => {
      const { f } = scenario();
      const { alice, bob } = users(f);
      await expectRevert(f.as(bob).plaza.write.listForSale([1n, 1n]), 'NotAssetOwnerOrApproved', [1n, bob]);
      await mined(f.publicClient, f.as(alice).plaza.write.listForSale([1n, 1n]));
      await expectRevert(f.as(bob).plaza.write.cancelSale([1n]), 'NotAssetOwnerOrApproved', [1n, bob]);
    });

    it('refuses to sell what is not listed, or no longer (NotForSale)', async () => {
      const { f } = scenario();
      const { alice, bob } = users(f);
      await expectRevert(f.as(bob).plaza.write.buy([1n, AIC, NO_PERMIT]), 'NotForSale', [1n]);
      await mined(f.publicClient, f.as(alice).plaza.write.listForSale([1n, AIC]));
      const receipt = await mined(f.publicClient, f.as(alice).plaza.write.cancelSale([1n]));
      expectEvent(receipt, f.as(alice).plaza, 'SaleCancelled', { tokenId: 1n });
      await expectRevert(f.as(bob).plaza.write.buy([1n, AIC, NO_PERMIT]), 'NotForSale', [1n]);
    });

    it('lets a listing lapse when the NFT changed hands elsewhere (NotForSale)', async () => {
      const { f } = scenario();
      const { alice, bob, carol } = users(f);
      await mined(f.publicClient, f.as(alice).plaza.write.listForSale([1n, AIC]));
      await mined(f.publicClient, f.as(alice).registry.write.transferFrom([alice, carol, 1n]));
      await allowPlaza(f, bob, AIC);
      await expectRevert(f.as(bob).plaza.write.buy([1n, AIC, NO_PERMIT]), 'NotForSale', [1n]);
    });

    it('forgets a listing once the NFT left the seller, even when it comes back (NotForSale)', async () => {
      const { f } = scenario();
      const { alice, bob, carol } = users(f);
      await mined(f.publicClient, f.as(alice).plaza.write.listForSale([1n, AIC]));
      await mined(f.publicClient, f.as(alice).registry.write.transferFrom([alice, carol, 1n]));
      await mined(f.publicClient, f.as(carol).registry.write.transferFrom([carol, alice, 1n]));
      // The old price must not bind Alice again after she bought the NFT back (the "stale listing" exploit).
      expect((await f.as(bob).plaza.read.saleOf([1n])).seller).toBe(zeroAddress);
      await allowPlaza(f, bob, AIC);
      await expectRevert(f.as(bob).plaza.write.buy([1n, AIC, NO_PERMIT]), 'NotForSale', [1n]);
      await mined(f.publicClient, f.as(alice).plaza.write.listForSale([1n, 2n * AIC]));
      await allowPlaza(f, bob, 2n * AIC);
      await mined(f.publicClient, f.as(bob).plaza.write.buy([1n, 2n * AIC, NO_PERMIT]));
      expect(normalized(await f.as(bob).registry.read.ownerOf([1n]))).toBe(normalized(bob));
    });

    it('refuses a price raised above the buyer’s limit (PriceAboveLimit)', async () => {
      const { f } = scenario();
      const { alice, bob } = users(f);
      await mined(f.publicClient, f.as(alice).plaza.write.listForSale([1n, 2n * AIC]));
      await allowPlaza(f, bob, 2n * AIC);
      await expectRevert(f.as(bob).plaza.write.buy([1n, AIC, NO_PERMIT]), 'PriceAboveLimit', [2n * AIC, AIC]);
    });

    it('fails with the registry’s error when the seller revoked PLAZA after listing', async () => {
      const { f } = scenario();
      const { alice, bob } = users(f);
      const plaza = f.deployment.contracts.Plaza;
      await mined(f.publicClient, f.as(alice).plaza.write.listForSale([1n, AIC]));
      await mined(f.publicClient, f.as(alice).registry.write.setApprovalForAll([plaza, false]));
      await allowPlaza(f, bob, AIC);
      await expectRevert(f.as(bob).plaza.write.buy([1n, AIC, NO_PERMIT]), 'ERC721InsufficientApproval', [plaza, 1n]);
    });
  });

  describe('usage rights (N uses)', () => {
    it('pays ownerOf() at payment time and the treasury its fee, also after the NFT was sold', async () => {
      const { f } = scenario();
      const { alice, bob, carol } = users(f);
      await allowPlaza(f, bob, 10n * AIC);
      const watch = await watchBalances(f, [alice, carol, f.roles.treasury]);
      const receipt = await mined(f.publicClient, f.as(bob).plaza.write.buyUses([1n, 3n, 3n * AIC, NO_PERMIT]));
      expectEvent(receipt, f.as(bob).plaza, 'UsesBought', { tokenId: 1n, buyer: bob, uses: 3n, paid: 3n * AIC });
      // Alice sells the NFT to Carol: from now on the income is Carol's.
      await mined(f.publicClient, f.as(alice).registry.write.transferFrom([alice, carol, 1n]));
      await mined(f.publicClient, f.as(bob).plaza.write.buyUses([1n, 2n, 2n * AIC, NO_PERMIT]));
      const [toAlice, toCarol, toTreasury] = await watch.delta();
      expect([toAlice, toCarol]).toEqual([3n * AIC - fee(3n * AIC), 2n * AIC - fee(2n * AIC)]);
      expect(toTreasury).toBe(fee(3n * AIC) + fee(2n * AIC));
      expect(await f.as(bob).plaza.read.usesLeft([1n, bob])).toBe(5n);
      expect(await f.as(bob).token.read.balanceOf([f.deployment.contracts.Plaza])).toBe(0n);
    });

    it('buys uses with a permit and no prior approve', async () => {
      const { f } = scenario();
      const { bob } = users(f);
      expect(await f.as(bob).buyUses(1n, 4n)).toEqual({ paidWei: 4n * AIC });
      expect(await f.as(bob).plaza.read.usesLeft([1n, bob])).toBe(4n);
    });

    it('still takes the payment when someone else submitted the permit first (front-run permit)', async () => {
      const { f } = scenario();
      const { bob, carol } = users(f);
      const plaza = f.deployment.contracts.Plaza;
      const permit = await f.as(bob).signPermit(plaza, 2n * AIC);
      const { value, deadline, v, r, s } = permit;
      await mined(f.publicClient, f.as(carol).token.write.permit([bob, plaza, value, deadline, v, r, s]));
      await mined(f.publicClient, f.as(bob).plaza.write.buyUses([1n, 2n, 2n * AIC, permit]));
      expect(await f.as(bob).plaza.read.usesLeft([1n, bob])).toBe(2n);
    });

    it('pays an asset with lineage through Payroll, split to its parents', async () => {
      const { f } = scenario();
      const { alice, bob, carol } = users(f);
      const child = await mint(
        f,
        carol,
        assetInput({ pricePerUse: 100n, lineage: [{ parentId: 1n, shareBps: 4_000 }] }),
      );
      await allowPlaza(f, bob, 1_000n);
      await mined(f.publicClient, f.as(bob).plaza.write.buyUses([child, 10n, 1_000n, NO_PERMIT]));
      const net = 1_000n - fee(1_000n); // 975
      const payroll = f.as(bob).payroll;
      expect(await payroll.read.owed([alice])).toBe((net * 4_000n) / 10_000n); // 390
      expect(await payroll.read.owed([carol])).toBe(net - (net * 4_000n) / 10_000n); // 585
      expect(await f.as(bob).balanceOf(f.deployment.contracts.Payroll)).toBe(await payroll.read.totalOwed());
    });

    it('rejects zero uses, a total above the limit, and unknown assets', async () => {
      const { f } = scenario();
      const plaza = f.as(users(f).bob).plaza;
      await expectRevert(plaza.write.buyUses([1n, 0n, 0n, NO_PERMIT]), 'ZeroQuantity', []);
      await expectRevert(plaza.write.buyUses([1n, 3n, 3n * AIC - 1n, NO_PERMIT]), 'PriceAboveLimit', [
        3n * AIC,
        3n * AIC - 1n,
      ]);
      await expectRevert(plaza.write.buyUses([9n, 1n, AIC, NO_PERMIT]), 'ERC721NonexistentToken', [9n]);
    });

    it('fails with ERC20InsufficientAllowance when neither an approve nor a permit covers the payment', async () => {
      const { f } = scenario();
      const { bob } = users(f);
      await expectRevert(f.as(bob).plaza.write.buyUses([1n, 1n, AIC, NO_PERMIT]), 'ERC20InsufficientAllowance', [
        f.deployment.contracts.Plaza,
        0n,
        AIC,
      ]);
    });

    it('lets the owner, an approved account or the renter record uses, and no one else (NotAssetServer)', async () => {
      const { f } = scenario();
      const { alice, bob, carol, dave } = users(f);
      await f.as(bob).buyUses(1n, 5n);
      const receipt = await mined(f.publicClient, f.as(alice).plaza.write.consumeUses([1n, bob, 2n]));
      expectEvent(receipt, f.as(alice).plaza, 'UsesConsumed', { tokenId: 1n, user: bob, uses: 2n });
      await mined(f.publicClient, f.as(alice).registry.write.approve([carol, 1n]));
      await mined(f.publicClient, f.as(carol).plaza.write.consumeUses([1n, bob, 1n]));
      const until = (await now(f)) + 1_000n;
      await mined(f.publicClient, f.as(alice).registry.write.setUser([1n, dave, until]));
      await mined(f.publicClient, f.as(dave).plaza.write.consumeUses([1n, bob, 1n]));
      await expectRevert(f.as(bob).plaza.write.consumeUses([1n, bob, 1n]), 'NotAssetServer', [1n, bob]);
      expect(await f.as(bob).plaza.read.usesLeft([1n, bob])).toBe(1n);
    });

    it('refuses to consume more uses than are left (InsufficientUses) and ends access at zero', async () => {
      const { f } = scenario();
      const { alice, bob } = users(f);
      await f.as(bob).buyUses(1n, 2n);
      expect(await f.as(bob).hasAccess(1n, bob)).toBe(true);
      await expectRevert(f.as(alice).plaza.write.consumeUses([1n, bob, 3n]), 'InsufficientUses', [1n, bob, 2n, 3n]);
      await mined(f.publicClient, f.as(alice).plaza.write.consumeUses([1n, bob, 2n]));
      expect(await f.as(bob).hasAccess(1n, bob)).toBe(false);
    });
  });

  describe('time-limited access', () => {
    it('sells a window, extends it from its end, and closes it when it expires', async () => {
      const { f } = scenario();
      const { alice, bob } = users(f);
      const plaza = f.as(bob).plaza;
      await mined(f.publicClient, f.as(alice).plaza.write.setAccessTerms([1n, 100n, 30]));
      await allowPlaza(f, bob, 1_000n);
      const watch = await watchBalances(f, [alice, f.roles.treasury]);
      const first = await mined(f.publicClient, plaza.write.buyAccess([1n, 2, 200n, NO_PERMIT]));
      const start = (await f.publicClient.getBlock({ blockNumber: first.blockNumber })).timestamp;
      expectEvent(first, plaza, 'AccessBought', { tokenId: 1n, buyer: bob, until: start + 2n * DAY, paid: 200n });
      await mined(f.publicClient, plaza.write.buyAccess([1n, 3, 300n, NO_PERMIT]));
      expect(await plaza.read.accessUntil([1n, bob])).toBe(start + 5n * DAY);
      expect(await watch.delta()).toEqual([500n - fee(200n) - fee(300n), fee(200n) + fee(300n)]);
      expect(await plaza.read.hasAccess([1n, bob])).toBe(true);
      await travel(f, start + 5n * DAY + 1n - (await now(f)));
      expect(await plaza.read.hasAccess([1n, bob])).toBe(false);
    });

    it('starts a new window from now once the old one expired', async () => {
      const { f } = scenario();
      const { alice, bob } = users(f);
      const plaza = f.as(bob).plaza;
      await mined(f.publicClient, f.as(alice).plaza.write.setAccessTerms([1n, 100n, 30]));
      await allowPlaza(f, bob, 1_000n);
      await mined(f.publicClient, plaza.write.buyAccess([1n, 1, 100n, NO_PERMIT]));
      await travel(f, 2n * DAY);
      const receipt = await mined(f.publicClient, plaza.write.buyAccess([1n, 1, 100n, NO_PERMIT]));
      const at = (await f.publicClient.getBlock({ blockNumber: receipt.blockNumber })).timestamp;
      expect(await plaza.read.accessUntil([1n, bob])).toBe(at + DAY);
    });

    it('rejects unoffered terms, zero days, too many days and a total above the limit', async () => {
      const { f } = scenario();
      const { alice, bob } = users(f);
      const plaza = f.as(bob).plaza;
      await expectRevert(plaza.write.buyAccess([1n, 1, 100n, NO_PERMIT]), 'TermsNotOffered', [1n]);
      await expectRevert(f.as(bob).plaza.write.setAccessTerms([1n, 100n, 30]), 'NotAssetOwnerOrApproved', [1n, bob]);
      const receipt = await mined(f.publicClient, f.as(alice).plaza.write.setAccessTerms([1n, 100n, 30]));
      expectEvent(receipt, plaza, 'AccessTermsSet', { tokenId: 1n, pricePerDay: 100n, maxDays: 30 });
      await expectRevert(plaza.write.buyAccess([1n, 0, 100n, NO_PERMIT]), 'ZeroQuantity', []);
      await expectRevert(plaza.write.buyAccess([1n, 31, 10_000n, NO_PERMIT]), 'TermTooLong', [31n, 30n]);
      await expectRevert(plaza.write.buyAccess([1n, 2, 199n, NO_PERMIT]), 'PriceAboveLimit', [200n, 199n]);
    });

    it('lets terms lapse when the NFT changes hands, while windows already paid for stay open', async () => {
      const { f } = scenario();
      const { alice, bob, carol } = users(f);
      await mined(f.publicClient, f.as(alice).plaza.write.setAccessTerms([1n, 100n, 30]));
      await allowPlaza(f, bob, 1_000n);
      await mined(f.publicClient, f.as(bob).plaza.write.buyAccess([1n, 1, 100n, NO_PERMIT]));
      await mined(f.publicClient, f.as(alice).registry.write.transferFrom([alice, carol, 1n]));
      await expectRevert(f.as(bob).plaza.write.buyAccess([1n, 1, 100n, NO_PERMIT]), 'TermsNotOffered', [1n]);
      expect(await f.as(bob).plaza.read.hasAccess([1n, bob])).toBe(true);
      await mined(f.publicClient, f.as(carol).plaza.write.setAccessTerms([1n, 50n, 10]));
      const watch = await watchBalances(f, [carol]);
      await mined(f.publicClient, f.as(bob).plaza.write.buyAccess([1n, 2, 100n, NO_PERMIT]));
      expect(await watch.delta()).toEqual([100n - fee(100n)]);
    });
  });

  describe('rentals (ERC-4907)', () => {
    it('makes the renter the ERC-4907 user until the end of the term and pays the owner', async () => {
      const { f } = scenario();
      const { alice, bob } = users(f);
      const receipt0 = await mined(f.publicClient, f.as(alice).plaza.write.setRentalTerms([1n, 1_000n, 7]));
      expectEvent(receipt0, f.as(alice).plaza, 'RentalTermsSet', { tokenId: 1n, pricePerDay: 1_000n, maxDays: 7 });
      await allowPlaza(f, bob, 3_000n);
      const watch = await watchBalances(f, [alice, f.roles.treasury]);
      const receipt = await mined(f.publicClient, f.as(bob).plaza.write.rent([1n, 3, 3_000n, NO_PERMIT]));
      const at = (await f.publicClient.getBlock({ blockNumber: receipt.blockNumber })).timestamp;
      expectEvent(receipt, f.as(bob).plaza, 'Rented', { tokenId: 1n, renter: bob, until: at + 3n * DAY, paid: 3_000n });
      expect(normalized(await f.as(bob).registry.read.userOf([1n]))).toBe(normalized(bob));
      expect(await f.as(bob).registry.read.userExpires([1n])).toBe(at + 3n * DAY);
      expect(await f.as(bob).plaza.read.hasAccess([1n, bob])).toBe(true);
      expect(await watch.delta()).toEqual([3_000n - fee(3_000n), fee(3_000n)]);
    });

    it('refuses a second renter while rented (AlreadyRented), and accepts one after the term', async () => {
      const { f } = scenario();
      const { alice, bob, carol } = users(f);
      await mined(f.publicClient, f.as(alice).plaza.write.setRentalTerms([1n, 1_000n, 7]));
      await allowPlaza(f, bob, 1_000n);
      await allowPlaza(f, carol, 2_000n);
      await mined(f.publicClient, f.as(bob).plaza.write.rent([1n, 1, 1_000n, NO_PERMIT]));
      await expectRevert(f.as(carol).plaza.write.rent([1n, 1, 1_000n, NO_PERMIT]), 'AlreadyRented', [1n, bob]);
      await travel(f, DAY + 1n);
      await mined(f.publicClient, f.as(carol).plaza.write.rent([1n, 1, 1_000n, NO_PERMIT]));
      expect(normalized(await f.as(carol).registry.read.userOf([1n]))).toBe(normalized(carol));
    });

    it('protects a paid rental: no owner, old or new, can evict the renter or cut the term short', async () => {
      const { f } = scenario();
      const { alice, bob, carol } = users(f);
      await mined(f.publicClient, f.as(alice).plaza.write.setRentalTerms([1n, 1_000n, 7]));
      await allowPlaza(f, bob, 3_000n);
      const receipt = await mined(f.publicClient, f.as(bob).plaza.write.rent([1n, 3, 3_000n, NO_PERMIT]));
      const until = (await f.publicClient.getBlock({ blockNumber: receipt.blockNumber })).timestamp + 3n * DAY;
      const registry = f.as(alice).registry;
      await expectRevert(registry.write.setUser([1n, alice, until]), 'UserRoleActive', [1n, bob, until]);
      await expectRevert(registry.write.setUser([1n, bob, until - 1n]), 'UserRoleActive', [1n, bob, until]);
      await mined(f.publicClient, registry.write.transferFrom([alice, carol, 1n]));
      await expectRevert(f.as(carol).registry.write.setUser([1n, zeroAddress, 0n]), 'UserRoleActive', [1n, bob, until]);
      expect(normalized(await registry.read.userOf([1n]))).toBe(normalized(bob));
    });

    it('cannot rent out an asset PLAZA is not approved for (the registry refuses setUser)', async () => {
      const { f } = scenario();
      const { bob, carol } = users(f);
      const id = await mint(f, carol);
      await mined(f.publicClient, f.as(carol).plaza.write.setRentalTerms([id, 1n, 1]));
      await allowPlaza(f, bob, 1n);
      await expectRevert(f.as(bob).plaza.write.rent([id, 1, 1n, NO_PERMIT]), 'NotTokenOwnerOrApproved', [
        id,
        f.deployment.contracts.Plaza,
      ]);
    });

    it('rejects rental terms from a non-owner, zero days, too many days and a total above the limit', async () => {
      const { f } = scenario();
      const { alice, bob } = users(f);
      await expectRevert(f.as(bob).plaza.write.setRentalTerms([1n, 1n, 7]), 'NotAssetOwnerOrApproved', [1n, bob]);
      await mined(f.publicClient, f.as(alice).plaza.write.setRentalTerms([1n, 10n, 7]));
      const plaza = f.as(bob).plaza;
      await expectRevert(plaza.write.rent([1n, 0, 0n, NO_PERMIT]), 'ZeroQuantity', []);
      await expectRevert(plaza.write.rent([1n, 8, 80n, NO_PERMIT]), 'TermTooLong', [8n, 7n]);
      await expectRevert(plaza.write.rent([1n, 2, 19n, NO_PERMIT]), 'PriceAboveLimit', [20n, 19n]);
      expect(normalized(await plaza.read.termsOf([1n]))).toEqual(
        normalized([
          { pricePerDay: 0n, maxDays: 0, offeredBy: zeroAddress },
          { pricePerDay: 10n, maxDays: 7, offeredBy: alice },
        ]),
      );
    });

    it('lets rental terms lapse when the NFT changes hands', async () => {
      const { f } = scenario();
      const { alice, bob, carol } = users(f);
      await mined(f.publicClient, f.as(alice).plaza.write.setRentalTerms([1n, 1n, 7]));
      await mined(f.publicClient, f.as(alice).registry.write.transferFrom([alice, carol, 1n]));
      await expectRevert(f.as(bob).plaza.write.rent([1n, 1, 1n, NO_PERMIT]), 'TermsNotOffered', [1n]);
    });
  });

  describe('governance', () => {
    it('lets the admin set the fee up to MAX_FEE_BPS (FeeTooHigh above) and the treasury (not zero)', async () => {
      const { f } = scenario();
      const plaza = f.as(f.roles.admin).plaza;
      const { carol } = users(f);
      const receipt = await mined(f.publicClient, plaza.write.setFee([1_000]));
      expectEvent(receipt, plaza, 'FeeChanged', { feeBps: 1_000 });
      await expectRevert(plaza.write.setFee([1_001]), 'FeeTooHigh', [1_001]);
      const moved = await mined(f.publicClient, plaza.write.setTreasury([carol]));
      expectEvent(moved, plaza, 'TreasuryChanged', { treasury: carol });
      await expectRevert(plaza.write.setTreasury([zeroAddress]), 'ZeroAddress', []);
      expect(normalized(await plaza.read.feeInfo())).toEqual(normalized([1_000, carol]));
    });

    it('refuses fee and treasury changes from anyone but the admin', async () => {
      const { f } = scenario();
      const { bob } = users(f);
      const admin = zeroHash; // DEFAULT_ADMIN_ROLE
      await expectRevert(f.as(bob).plaza.write.setFee([0]), 'AccessControlUnauthorizedAccount', [bob, admin]);
      await expectRevert(f.as(bob).plaza.write.setTreasury([bob]), 'AccessControlUnauthorizedAccount', [bob, admin]);
    });

    it('refuses deployment with a zero treasury (ZeroAddress) or a fee above the cap (FeeTooHigh)', async () => {
      const { f } = scenario();
      const { alice } = users(f);
      const c = f.deployment.contracts;
      const wallet = f.as(alice).walletClient!;
      const deploy = (treasury: Address, feeBps: number) =>
        wallet.deployContract({
          abi: artifacts.Plaza.abi as Abi,
          bytecode: artifacts.Plaza.bytecode,
          args: [c.AICToken, c.AssetRegistry, c.Payroll, alice, treasury, feeBps],
        });
      await expectRevert(deploy(zeroAddress, 0), 'ZeroAddress', []);
      await expectRevert(deploy(alice, 1_001), 'FeeTooHigh', [1_001]);
      const { contractAddress } = await mined(f.publicClient, deploy(alice, 1_000));
      const plaza = getContract({ address: contractAddress!, abi: artifacts.Plaza.abi, client: f.publicClient });
      expect(normalized(await plaza.read.feeInfo())).toEqual(normalized([1_000, alice]));
    });
  });
});
