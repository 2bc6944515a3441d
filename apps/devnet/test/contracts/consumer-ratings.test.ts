/**
 * Consumer ratings on chain (issue 15): paying users rate what they used with RewardsPool.rate; the rater role's
 * scores use them (fee-weighted, clipped to the stake-weighted median of rater stakes) and a resource its paying,
 * staked consumers rate as worthless costs its owner a penalty, applied through the pool when the epoch's set is.
 * On the embedded EVM with two in-process rater roles.
 */
import { AssetKind, type LedgerClient } from '@aic/ledger';
import { createRaterRole, scoreSetFromChain } from '@aic/node';
import { type Address, keccak256, toHex } from 'viem';
import { describe, expect, it } from 'vitest';
import { stepUntil, travel, useRaterChain } from '../helpers/rater-chain.ts';

const AIC = 10n ** 18n;

const net = useRaterChain();

async function mintModel(owner: LedgerClient, name: string): Promise<bigint> {
  const { tokenId } = await owner.mintAsset({
    kind: AssetKind.Model,
    manifestCid: 'bafkreigh2akiscaildcqabsyg3dfr6chu3fgpregiymsck7e7aqa4s52zy',
    contentRoot: keccak256(toHex(name)),
    pricePerUseWei: 10n * AIC,
  });
  return tokenId;
}

describe('consumer ratings on chain', () => {
  it("lower a worthless model's score and penalize its owner; a rating by someone who never paid has no weight", async () => {
    const [junkOwner, goodOwner, c1, c2, c3, stranger, raterA, raterB] = net.dev.roles.users as Address[];
    const consumers = [c1!, c2!, c3!].map((c) => net.clients.as(c));
    const junk = await mintModel(net.clients.as(junkOwner!), 'junk');
    const good = await mintModel(net.clients.as(goodOwner!), 'good');
    // The consumers stake as raters (their ratings' weight in the median), buy both models and rate them.
    for (const consumer of consumers) {
      const pool = consumer.rewards;
      await consumer.confirm('stake', async () =>
        pool.write.stakeAsRater([100n * AIC, await consumer.signPermit(pool.address, 100n * AIC)]),
      );
      for (const [model, rating] of [
        [junk, 5],
        [good, 90],
      ] as const) {
        await consumer.buyUses(model, 2n);
        await consumer.confirm('rate', () => pool.write.rate([0, model, rating]));
      }
    }
    // A stranger who paid nothing rates the good model 0: the engine gives it no weight.
    const strangerLedger = net.clients.as(stranger!);
    await strangerLedger.confirm('rate', () => strangerLedger.rewards.write.rate([0, good, 0]));

    const [genesis, duration] = await strangerLedger.rewards.read.schedule();
    const { timestamp } = await strangerLedger.publicClient.getBlock();
    await travel(net.clients, genesis + BigInt(duration) - timestamp + 1n); // epoch 0 ends
    const { rating, set } = await scoreSetFromChain(strangerLedger, 0);
    const scoreOf = (id: bigint) => rating.resources.find((r) => r.resource === `asset:${id}`)!;
    // 3 × 20 AIC of usage each; quality = 20 % + 80 % × rating: 24 % for the junk model, 92 % for the good one.
    expect(scoreOf(junk).qualityBps).toBe(2_400n);
    expect(scoreOf(good).qualityBps).toBe(9_200n);
    expect(set.penalized).toEqual([junkOwner!.toLowerCase()]);
    expect(set.penalties).toEqual([(60n * AIC * 200n) / 10_000n]);

    // The raters propose and apply the set: the penalty goes through the pool (ScorePenalized).
    const quiet = { info: () => {}, warn: () => {}, debug: () => {} };
    const raters = [raterA!, raterB!].map((r) =>
      createRaterRole({ stakeAic: '1000', pollIntervalMs: 1_000 }, net.clients.as(r), quiet),
    );
    await stepUntil(raters, 'proposed');
    await stepUntil(raters, 'backed');
    await travel(net.clients, (await strangerLedger.rewards.read.roundParams()).challengeWindowSec);
    await stepUntil(raters, 'applied');
    const penalized = await strangerLedger.rewards.getEvents.ScorePenalized({ epoch: 0n }, { fromBlock: 0n });
    expect(penalized.map((e) => e.args.contributor)).toEqual([junkOwner]);
    // The junk owner's penalty took back what its own (low) score had just earned; the good owner keeps its reward.
    expect(await strangerLedger.rewards.read.claimable([junkOwner!])).toBe(0n);
    expect(await strangerLedger.rewards.read.claimable([goodOwner!])).toBeGreaterThan(0n);
  });
});
