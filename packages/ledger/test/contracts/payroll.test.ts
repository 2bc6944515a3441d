import type { Address } from 'viem';
import { describe, expect, it } from 'vitest';
import { NO_PERMIT } from '../../src/types.ts';
import type { Fixture } from '../helpers/fixture.ts';
import { eventsIn, expectEvent, expectRevert, mined } from './behaviors/chain-assertions.ts';
import { assetInput, type Lineage, mint, users, watchBalances } from './behaviors/ledger-helpers.ts';
import { useScenario } from './behaviors/scenario.ts';

/** Pays `amount` of income for `assetId` from `payer` with a plain approve. */
async function pay(f: Fixture, payer: Address, assetId: bigint, amount: bigint) {
  await mined(f.publicClient, f.as(payer).token.write.approve([f.deployment.contracts.Payroll, amount]));
  return mined(f.publicClient, f.as(payer).payroll.write.pay([assetId, amount, NO_PERMIT]));
}

/** AIC credited per asset id by one payment, from its IncomeCredited events. */
function creditedPerAsset(f: Fixture, receipt: Awaited<ReturnType<typeof pay>>): Map<bigint, bigint> {
  const credited = new Map<bigint, bigint>();
  for (const e of eventsIn(receipt, f.as(f.roles.admin).payroll, 'IncomeCredited')) {
    const id = e.assetId as bigint;
    credited.set(id, (credited.get(id) ?? 0n) + (e.amount as bigint));
  }
  return credited;
}

const lineage = (...links: Array<[bigint, number]>): Lineage =>
  links.map(([parentId, shareBps]) => ({ parentId, shareBps }));

describe('Payroll', () => {
  /**
   * A 3-level DAG, one owner per asset:
   *   A(1, alice)  B(2, bob)
   *   C(3, carol) = 30 % A + 20 % B      D(4, dave) = 10 % A
   *   E(5, erin)  = 40 % C + 25 % D + 5 % B
   */
  const scenario = useScenario(async (f) => {
    const { alice, bob, carol, dave, erin } = users(f);
    await mint(f, alice);
    await mint(f, bob);
    await mint(f, carol, assetInput({ lineage: lineage([1n, 3_000], [2n, 2_000]) }));
    await mint(f, dave, assetInput({ lineage: lineage([1n, 1_000]) }));
    await mint(f, erin, assetInput({ lineage: lineage([3n, 4_000], [4n, 2_500], [2n, 500]) }));
  });

  describe('splitting income along lineage', () => {
    it('credits every upstream owner its share, recursively, rounding down and leaving the rest to each owner', async () => {
      const { f } = scenario();
      const { alice, bob, carol, dave, erin } = users(f);
      const receipt = await pay(f, alice, 5n, 999_999n);
      // E passes 399,999 to C, 249,999 to D and 49,999 to B and keeps 300,002.
      // C passes 119,999 to A and 79,999 to B and keeps 200,001; D passes 24,999 to A and keeps 225,000.
      const payroll = f.as(alice).payroll;
      const owed = await Promise.all([alice, bob, carol, dave, erin].map((a) => payroll.read.owed([a])));
      expect(owed).toEqual([119_999n + 24_999n, 49_999n + 79_999n, 200_001n, 225_000n, 300_002n]);
      expect(owed.reduce((a, b) => a + b)).toBe(999_999n);
      expect(await payroll.read.totalOwed()).toBe(999_999n);
      expect(await f.as(alice).balanceOf(payroll.address)).toBe(999_999n);
      expectEvent(receipt, payroll, 'IncomePaid', { assetId: 5n, payer: alice, amount: 999_999n });
      // One credit per visited asset, parents before the asset that passed the share on: A, B, C, A, D, B, E.
      const order = eventsIn(receipt, payroll, 'IncomeCredited').map((e) => e.assetId);
      expect(order).toEqual([1n, 2n, 3n, 1n, 4n, 2n, 5n]);
    });

    it('pays the owner at payment time: income after a sale goes to the new owner', async () => {
      const { f } = scenario();
      const { alice, bob, dave, erin } = users(f);
      await pay(f, alice, 4n, 1_000n); // D keeps 900, A gets 100
      await mined(f.publicClient, f.as(dave).registry.write.transferFrom([dave, erin, 4n]));
      await pay(f, alice, 4n, 1_000n);
      const payroll = f.as(bob).payroll;
      expect(await payroll.read.owed([dave])).toBe(900n);
      expect(await payroll.read.owed([erin])).toBe(900n);
      expect(await payroll.read.owed([alice])).toBe(200n);
    });

    it('keeps a share that rounds to zero with the paid asset', async () => {
      const { f } = scenario();
      const { alice, dave } = users(f);
      await pay(f, alice, 4n, 9n); // 10 % of 9 wei rounds to 0
      expect(await f.as(dave).payroll.read.owed([dave])).toBe(9n);
      expect(await f.as(dave).payroll.read.owed([alice])).toBe(0n);
    });

    it('stops at MAX_DEPTH: the deepest level keeps what it would pass further up', async () => {
      const { f } = scenario();
      const { alice } = users(f);
      const payroll = f.as(alice).payroll;
      expect(await payroll.read.MAX_DEPTH()).toBe(4n);
      // A chain of six new assets, each passing 50 % to the one before: 6 → 7 → 8 → 9 → 10 → 11.
      let parent = await mint(f, alice);
      const chain = [parent];
      for (let i = 0; i < 5; i++) {
        parent = await mint(f, alice, assetInput({ lineage: lineage([parent, 5_000]) }));
        chain.push(parent);
      }
      const receipt = await pay(f, alice, parent, 1_600n);
      const credited = creditedPerAsset(f, receipt);
      // Levels 0..4 from the paid asset: 800, 400, 200, 100 kept; level 4 keeps its 100; level 5 gets nothing.
      expect(chain.reverse().map((id) => credited.get(id) ?? 0n)).toEqual([800n, 400n, 200n, 100n, 100n, 0n]);
    });

    it('visits at most MAX_PAYEES assets per payment; the asset that could not pass a share on keeps it', async () => {
      const { f } = scenario();
      const { alice } = users(f);
      const payroll = f.as(alice).payroll;
      expect(await payroll.read.MAX_PAYEES()).toBe(32n);
      // 8 grandparents, 8 parents each with all 8 grandparents at 10 %, one child with all 8 parents at 10 %:
      // a full walk would visit 1 + 8 × 9 = 73 assets.
      const grandparents: bigint[] = [];
      for (let i = 0; i < 8; i++) grandparents.push(await mint(f, alice));
      const parents: bigint[] = [];
      for (let i = 0; i < 8; i++) {
        parents.push(
          await mint(f, alice, assetInput({ lineage: grandparents.map((id) => ({ parentId: id, shareBps: 1_000 })) })),
        );
      }
      const child = await mint(
        f,
        alice,
        assetInput({ lineage: parents.map((id) => ({ parentId: id, shareBps: 1_000 })) }),
      );
      const receipt = await pay(f, alice, child, 1_000_000n);
      expect(eventsIn(receipt, payroll, 'IncomeCredited')).toHaveLength(32);
      const credited = creditedPerAsset(f, receipt);
      // Visits: child, P1 + its 8, P2 + 8, P3 + 8, P4 + its first 3 = 32. P1–P3 keep 20 %, P4 keeps 70 % of its
      // 100,000; P5–P8 are never reached, so their 400,000 stay with the child with its own 200,000.
      expect(credited.get(child)).toBe(600_000n);
      expect(parents.map((id) => credited.get(id) ?? 0n)).toEqual([20_000n, 20_000n, 20_000n, 70_000n, 0n, 0n, 0n, 0n]);
      const perGrandparent = [...Array(3).fill(40_000n), ...Array(5).fill(30_000n)];
      expect(grandparents.map((id) => credited.get(id) ?? 0n)).toEqual(perGrandparent);
      expect(await payroll.read.totalOwed()).toBe(1_000_000n);
    });

    it('reverts with AssetNotFound for income of an unknown asset', async () => {
      const { f } = scenario();
      const { alice } = users(f);
      await mined(f.publicClient, f.as(alice).token.write.approve([f.deployment.contracts.Payroll, 1n]));
      await expectRevert(f.as(alice).payroll.write.pay([99n, 1n, NO_PERMIT]), 'AssetNotFound', [99n]);
    });
  });

  describe('paying in', () => {
    it('takes a permit instead of a prior approve', async () => {
      const { f } = scenario();
      const { alice, bob } = users(f);
      const permit = await f.as(alice).signPermit(f.deployment.contracts.Payroll, 500n);
      await mined(f.publicClient, f.as(alice).payroll.write.pay([2n, 500n, permit]));
      expect(await f.as(bob).payroll.read.owed([bob])).toBe(500n);
    });

    it('fails with ERC20InsufficientAllowance without an approve or a permit', async () => {
      const { f } = scenario();
      const { alice } = users(f);
      await expectRevert(f.as(alice).payroll.write.pay([1n, 1n, NO_PERMIT]), 'ERC20InsufficientAllowance', [
        f.deployment.contracts.Payroll,
        0n,
        1n,
      ]);
    });
  });

  describe('withdrawing', () => {
    it('pays out everything owed, keeps the contract balance equal to totalOwed, and emits Withdrawn', async () => {
      const { f } = scenario();
      const { alice, carol, erin } = users(f);
      await pay(f, alice, 5n, 999_999n);
      await pay(f, erin, 3n, 10_000n); // C keeps 5,000
      const payroll = f.as(carol).payroll;
      const watch = await watchBalances(f, [carol, payroll.address]);
      const receipt = await mined(f.publicClient, payroll.write.withdraw());
      expectEvent(receipt, payroll, 'Withdrawn', { account: carol, amount: 205_001n });
      expect(await watch.delta()).toEqual([205_001n, -205_001n]);
      expect(await payroll.read.owed([carol])).toBe(0n);
      expect(await payroll.read.totalOwed()).toBe(999_999n + 10_000n - 205_001n);
      expect(await f.as(carol).balanceOf(payroll.address)).toBe(await payroll.read.totalOwed());
    });

    it('reverts with NothingToWithdraw when nothing is owed, also right after a withdrawal', async () => {
      const { f } = scenario();
      const { alice, bob } = users(f);
      await expectRevert(f.as(bob).payroll.write.withdraw(), 'NothingToWithdraw', [bob]);
      await pay(f, alice, 2n, 10n);
      await mined(f.publicClient, f.as(bob).payroll.write.withdraw());
      await expectRevert(f.as(bob).payroll.write.withdraw(), 'NothingToWithdraw', [bob]);
    });
  });
});
