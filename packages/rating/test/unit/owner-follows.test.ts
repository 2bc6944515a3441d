/**
 * Proof-of-Value follows the NFT: an asset's usage scores for whoever owned it when the usage was paid (the account
 * its fees went to), from chain logs (AssetMinted, then ERC-721 Transfer, e.g. a PLAZA sale) to per-contributor scores.
 */
import { describe, expect, it } from 'vitest';
import {
  type ChainLog,
  computeEpochScores,
  defaultRatingParams,
  rateEpoch,
  ratingEventsFromLogs,
} from '../../src/index.ts';
import { AIC } from './fixtures.ts';

const ZERO = '0x0000000000000000000000000000000000000000';
const MINTER = '0x00000000000000000000000000000000000000a1';
const BUYER = '0x00000000000000000000000000000000000000b2';
const PAYER = '0x00000000000000000000000000000000000000c3';
const EPOCH_SEC = 3_600n;
const schedule = { genesis: 0n, epochDurationSec: EPOCH_SEC };
// No emission: these tests look at the contributors' own scores, not at rewards.
const paramsFor = (epoch: number) => defaultRatingParams(epoch, { emissionWei: 0n });

function createLogs() {
  const logs: ChainLog[] = [];
  let block = 0n;
  const at = (epoch: number) => ({ blockNumber: ++block, logIndex: 0, timestamp: BigInt(epoch) * EPOCH_SEC + 10n });
  const add = (contract: string, eventName: string, args: Record<string, unknown>, epoch: number) =>
    logs.push({ contract, eventName, args, ...at(epoch) });
  return {
    logs,
    mint: (epoch: number) => {
      add('AssetRegistry', 'Transfer', { from: ZERO, to: MINTER, tokenId: 1n }, epoch);
      add('AssetRegistry', 'AssetMinted', { tokenId: 1n, owner: MINTER, kind: 1 }, epoch);
    },
    usesBought: (buyer: string, paid: bigint, epoch: number) =>
      add('Plaza', 'UsesBought', { tokenId: 1n, buyer, uses: 1n, paid }, epoch),
    transfer: (from: string, to: string, epoch: number) =>
      add('AssetRegistry', 'Transfer', { from, to, tokenId: 1n }, epoch),
    sold: (seller: string, buyer: string, epoch: number) => {
      add('AssetRegistry', 'Transfer', { from: seller, to: buyer, tokenId: 1n }, epoch);
      add('Plaza', 'Sold', { tokenId: 1n, seller, buyer, price: 5n * AIC, royalty: 0n, fee: 0n }, epoch);
    },
  };
}

describe('an asset’s score follows its owner', () => {
  it('maps a transfer after the mint to a change of owner, and ignores the mint’s own Transfer', () => {
    const chain = createLogs();
    chain.mint(0);
    chain.sold(MINTER, BUYER, 0);
    const events = ratingEventsFromLogs(chain.logs, schedule);
    expect(events.map((e) => e.type)).toEqual(['ResourceRegistered', 'OwnershipTransferred']);
    expect(events[1]).toMatchObject({ resource: 'asset:1', owner: BUYER });
  });

  it('scores the epoch before a sale for the seller and the epoch after it for the buyer', () => {
    const chain = createLogs();
    chain.mint(0);
    chain.usesBought(PAYER, 10n * AIC, 0);
    chain.sold(MINTER, BUYER, 1);
    chain.usesBought(PAYER, 20n * AIC, 1);
    const events = ratingEventsFromLogs(chain.logs, schedule);
    // Usage weight 50 %, neutral quality, no work units: score = usage / 2 / 1 gwei.
    expect(computeEpochScores(events, paramsFor(0))).toEqual(new Map([[MINTER, (5n * AIC) / 10n ** 9n]]));
    expect(computeEpochScores(events, paramsFor(1))).toEqual(new Map([[BUYER, (10n * AIC) / 10n ** 9n]]));
  });

  it('splits an epoch in which the asset was sold at the sale, judging each payment against the owner of its moment', () => {
    const chain = createLogs();
    chain.mint(0);
    chain.usesBought(BUYER, 4n * AIC, 0); // the buyer is still unrelated: this pays the minter
    chain.usesBought(PAYER, 10n * AIC, 0);
    chain.sold(MINTER, BUYER, 0);
    chain.usesBought(PAYER, 20n * AIC, 0);
    chain.usesBought(BUYER, 8n * AIC, 0); // the owner paying for its own asset counts for nothing
    const rating = rateEpoch(ratingEventsFromLogs(chain.logs, schedule), paramsFor(0));
    const shares = rating.resources.map((r) => [r.owner, r.eligibleUsageWei, r.excludedUsageWei]);
    expect(shares).toEqual([
      [MINTER, 14n * AIC, 0n],
      [BUYER, 20n * AIC, 8n * AIC],
    ]);
    expect(rating.scores).toEqual(
      new Map([
        [MINTER, (7n * AIC) / 10n ** 9n],
        [BUYER, (10n * AIC) / 10n ** 9n],
      ]),
    );
  });

  it('keeps the old attribution for an asset that never moved', () => {
    const chain = createLogs();
    chain.mint(0);
    chain.usesBought(PAYER, 10n * AIC, 2);
    const rating = rateEpoch(ratingEventsFromLogs(chain.logs, schedule), paramsFor(2));
    expect(rating.resources).toHaveLength(1);
    expect(rating.resources[0]).toMatchObject({ owner: MINTER, eligibleUsageWei: 10n * AIC });
  });

  it('credits nobody for usage of a burnt asset', () => {
    const chain = createLogs();
    chain.mint(0);
    chain.transfer(MINTER, ZERO, 0);
    chain.usesBought(PAYER, 10n * AIC, 0);
    expect(computeEpochScores(ratingEventsFromLogs(chain.logs, schedule), paramsFor(0))).toEqual(new Map());
  });
});
