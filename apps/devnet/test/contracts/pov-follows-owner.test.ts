/**
 * Proof-of-Value rewards follow the current owner of an asset (issue 12), on the embedded EVM with the devnet's own
 * rater: a dataset is used (uses bought by an unrelated payer) in epoch 0, sold on PLAZA, used again in epoch 1; the
 * rater posts each epoch's scores from the chain's logs; after finalization the first epoch's reward for that usage
 * is the seller's and the second one's the buyer's, as the fees were.
 */
import { AssetKind, type LedgerClient } from '@aic/ledger';
import {
  createDevClients,
  type DevClients,
  type DevDeployment,
  deployDevnet,
  type EmbeddedChain,
  startEmbeddedChain,
} from '@aic/ledger/devchain';
import { rewardsForEpoch } from '@aic/rating';
import { type Address, keccak256, toHex } from 'viem';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type PostedScores, postEpochScores } from '../../src/post-scores.ts';

const AIC = 10n ** 18n;
const PRICE_PER_USE = 2n * AIC;
const SALE_PRICE = 50n * AIC;

let chain: EmbeddedChain;
let dev: DevDeployment;
let clients: DevClients;

beforeAll(async () => {
  chain = await startEmbeddedChain();
  dev = await deployDevnet(chain.provider, chain.accounts);
  clients = createDevClients(chain, dev.deployment);
});

afterAll(async () => {
  await chain?.close();
});

/** Moves the chain clock to the middle of `epoch`, so the transactions that follow stay in it. */
async function goToEpoch(ledger: LedgerClient, epoch: bigint): Promise<void> {
  const [genesis, durationSec] = await ledger.rewards.read.schedule();
  const target = genesis + BigInt(durationSec) * epoch + BigInt(durationSec) / 2n;
  const { timestamp } = await ledger.publicClient.getBlock();
  await clients.testClient.increaseTime({ seconds: Number(target - timestamp) });
  await clients.testClient.mine({ blocks: 1 });
}

async function sellOnPlaza(seller: LedgerClient, buyer: LedgerClient, tokenId: bigint): Promise<void> {
  await seller.confirm('approve', () => seller.registry.write.approve([seller.plaza.address, tokenId]));
  await seller.confirm('listForSale', () => seller.plaza.write.listForSale([tokenId, SALE_PRICE]));
  const permit = await buyer.signPermit(buyer.plaza.address, SALE_PRICE);
  await buyer.confirm('buy', () => buyer.plaza.write.buy([tokenId, SALE_PRICE, permit]));
}

/** What each contributor is paid for `epoch`, by RewardsPool's arithmetic over the scores the rater posted. */
function payoutsOf(posted: PostedScores, emissionWei: bigint): Map<string, bigint> {
  return rewardsForEpoch(posted.scores, emissionWei).payouts;
}

describe('Proof-of-Value rewards after a Dataset NFT is sold', () => {
  it('pay the seller for the epoch before the sale and the buyer for the epoch after it', async () => {
    const [seller, buyer, payer] = dev.roles.users as [Address, Address, Address];
    const asSeller = clients.as(seller);
    const asBuyer = clients.as(buyer);
    const asPayer = clients.as(payer);
    const lines: string[] = [];
    const log = (line: string) => lines.push(line);

    const { tokenId } = await asSeller.mintAsset({
      kind: AssetKind.Dataset,
      manifestCid: 'bafkreigh2akiscaildcqabsyg3dfr6chu3fgpregiymsck7e7aqa4s52zy',
      contentRoot: keccak256(toHex('pov follows the owner')),
      pricePerUseWei: PRICE_PER_USE,
    });
    const { paidWei: firstUsage } = await asPayer.buyUses(tokenId, 3n);
    const first = await postEpochScores({ chain, dev, log });
    expect(first.epoch).toBe(0);

    await goToEpoch(asSeller, 1n);
    await sellOnPlaza(asSeller, asBuyer, tokenId);
    expect((await asBuyer.registry.read.ownerOf([tokenId])).toLowerCase()).toBe(buyer.toLowerCase());
    const { paidWei: secondUsage } = await asPayer.buyUses(tokenId, 5n);
    const second = await postEpochScores({ chain, dev, log });
    expect(second.epoch).toBe(1);

    // Each epoch's usage scores for the owner it was paid to (usage weight 50 %, neutral quality, 1 gwei a unit).
    const scoreOf = (usageWei: bigint) => (usageWei * 5_000n) / 10_000n / 10n ** 9n;
    const s = seller.toLowerCase();
    const b = buyer.toLowerCase();
    expect(first.scores.get(s)).toBe(scoreOf(firstUsage));
    expect(first.scores.has(b)).toBe(false);
    expect(second.scores.get(b)).toBe(scoreOf(secondUsage));
    expect(second.scores.has(s)).toBe(false);
    // The rater's lines name users 0 and 1 by their devnet roles (requester, provider 1).
    expect(lines).toContainEqual(expect.stringMatching(/^rewards: epoch 0 score \d+ for requester /));
    expect(lines).toContainEqual(expect.stringMatching(/^rewards: epoch 1 score \d+ for provider 1 /));
    expect(lines.join('\n')).not.toMatch(/epoch 1 score \d+ for requester/);

    // Close both epochs on chain; what each may claim is exactly its epoch's share of the emission.
    await goToEpoch(asSeller, 2n);
    await asPayer.confirm('finalizeEpochs', () => asPayer.rewards.write.finalizeEpochs([10n]));
    const [, , emissionWei] = await asPayer.rewards.read.schedule();
    const sellerReward = payoutsOf(first, emissionWei).get(s)!;
    const buyerReward = payoutsOf(second, emissionWei).get(b)!;
    expect(sellerReward).toBeGreaterThan(0n);
    expect(buyerReward).toBeGreaterThan(0n);
    expect(await asPayer.rewards.read.claimable([seller])).toBe(sellerReward);
    expect(await asPayer.rewards.read.claimable([buyer])).toBe(buyerReward);
    expect(await asPayer.rewards.read.claimable([payer])).toBe(0n);
  });
});
