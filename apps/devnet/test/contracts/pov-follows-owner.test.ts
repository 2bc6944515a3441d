/**
 * Proof-of-Value rewards follow the current owner of an asset (issue 12), on the embedded EVM with the node's own
 * rater role (two staked raters, in process): a dataset is used (uses bought by an unrelated payer) in epoch 0, sold
 * on PLAZA, used again in epoch 1; after each epoch ends the raters recompute its scores from the chain's logs,
 * propose and back them, and apply them when the challenge window closes; the first epoch's reward for that usage is
 * the seller's and the second one's the buyer's, as the fees were.
 */
import { AssetKind, type LedgerClient } from '@aic/ledger';
import { createRaterRole } from '@aic/node';
import { rewardsForEpoch } from '@aic/rating';
import { type Address, keccak256, toHex } from 'viem';
import { describe, expect, it } from 'vitest';
import { goToEpoch, stepUntil, useRaterChain } from '../helpers/rater-chain.ts';

const AIC = 10n ** 18n;
const PRICE_PER_USE = 2n * AIC;
const SALE_PRICE = 50n * AIC;

const net = useRaterChain();

async function sellOnPlaza(seller: LedgerClient, buyer: LedgerClient, tokenId: bigint): Promise<void> {
  await seller.confirm('approve', () => seller.registry.write.approve([seller.plaza.address, tokenId]));
  await seller.confirm('listForSale', () => seller.plaza.write.listForSale([tokenId, SALE_PRICE]));
  const permit = await buyer.signPermit(buyer.plaza.address, SALE_PRICE);
  await buyer.confirm('buy', () => buyer.plaza.write.buy([tokenId, SALE_PRICE, permit]));
}

describe('Proof-of-Value rewards after a Dataset NFT is sold', () => {
  it('pay the seller for the epoch before the sale and the buyer for the epoch after it', async () => {
    const [seller, buyer, payer, raterA, raterB] = net.dev.roles.users as [Address, Address, Address, Address, Address];
    const asSeller = net.clients.as(seller);
    const asBuyer = net.clients.as(buyer);
    const asPayer = net.clients.as(payer);
    const quiet = { info: () => {}, warn: () => {}, debug: () => {} };
    const raters = [raterA, raterB].map((r) =>
      createRaterRole({ stakeAic: '1000', pollIntervalMs: 1_000 }, net.clients.as(r), quiet),
    );
    const { challengeWindowSec } = await asPayer.rewards.read.roundParams();
    const rate = async (epoch: bigint) => {
      await stepUntil(raters, 'proposed');
      await stepUntil(raters, 'backed');
      await net.clients.testClient.increaseTime({ seconds: challengeWindowSec });
      await net.clients.testClient.mine({ blocks: 1 });
      await stepUntil(raters, 'applied');
      const [applied] = await asPayer.rewards.getEvents.ScoresApplied({ epoch }, { fromBlock: 0n });
      const [proposal] = await asPayer.rewards.getEvents.ScoresProposed(
        { epoch, setHash: applied!.args.setHash! },
        { fromBlock: 0n },
      );
      const set = proposal!.args.set!;
      return new Map(set.contributors.map((c, i) => [c.toLowerCase(), set.scores[i]!]));
    };

    const { tokenId } = await asSeller.mintAsset({
      kind: AssetKind.Dataset,
      manifestCid: 'bafkreigh2akiscaildcqabsyg3dfr6chu3fgpregiymsck7e7aqa4s52zy',
      contentRoot: keccak256(toHex('pov follows the owner')),
      pricePerUseWei: PRICE_PER_USE,
    });
    const { paidWei: firstUsage } = await asPayer.buyUses(tokenId, 3n);
    await goToEpoch(net.clients, asSeller, 1n);
    await sellOnPlaza(asSeller, asBuyer, tokenId);
    expect((await asBuyer.registry.read.ownerOf([tokenId])).toLowerCase()).toBe(buyer.toLowerCase());
    const { paidWei: secondUsage } = await asPayer.buyUses(tokenId, 5n);
    await goToEpoch(net.clients, asSeller, 2n);
    const first = await rate(0n);
    const second = await rate(1n);

    // Each epoch's usage scores for the owner it was paid to (usage weight 50 %, neutral quality, 1 gwei a unit).
    const scoreOf = (usageWei: bigint) => (usageWei * 5_000n) / 10_000n / 10n ** 9n;
    const s = seller.toLowerCase();
    const b = buyer.toLowerCase();
    expect([...first]).toEqual([[s, scoreOf(firstUsage)]]);
    expect([...second]).toEqual([[b, scoreOf(secondUsage)]]);

    // What each may claim is exactly its epoch's share under RewardsPool's arithmetic (the cap per score unit binds).
    const [, , emissionWei] = await asPayer.rewards.read.schedule();
    const cap = await asPayer.rewards.read.maxRewardPerScore();
    const sellerReward = rewardsForEpoch(first, emissionWei, cap).payouts.get(s)!;
    const buyerReward = rewardsForEpoch(second, emissionWei, cap).payouts.get(b)!;
    expect(sellerReward).toBe(scoreOf(firstUsage) * cap);
    expect(await asPayer.rewards.read.claimable([seller])).toBe(sellerReward);
    expect(await asPayer.rewards.read.claimable([buyer])).toBe(buyerReward);
    expect(await asPayer.rewards.read.claimable([payer])).toBe(0n);
  });
});
