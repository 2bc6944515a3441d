/** The node's collection of what ComputeMarket accrues for it: owned assets' fees above the floor, the treasury's
 * protocol fees, one pass at a time. */
import { describe, expect, it } from 'vitest';
import {
  collectMarketIncomeOnce,
  type MarketIncomeLedger,
  startMarketIncomeCollection,
} from '../../src/services/market-income.ts';

const ME = '0x1000000000000000000000000000000000000001';
const OTHER = '0x2000000000000000000000000000000000000002';
const log = { info: () => {}, debug: () => {} };

function fakeLedger(o: { fees: bigint[]; owners: string[]; treasury: string; accrued: bigint }) {
  const sent: string[] = [];
  const ledger = {
    account: () => ME,
    confirm: async (call: string, send: () => Promise<unknown>) => {
      await send();
      sent.push(call);
      return {};
    },
    registry: {
      read: {
        totalMinted: async () => BigInt(o.fees.length),
        payeeOf: async ([id]: [bigint]) => [o.owners[Number(id) - 1], 1, 0n, false],
      },
    },
    market: {
      read: {
        assetFees: async ([id]: [bigint]) => o.fees[Number(id) - 1] ?? 0n,
        params: async () => [{}, o.treasury],
        protocolFeesAccrued: async () => o.accrued,
      },
      write: {
        claimAssetFees: async ([id]: [bigint]) => {
          o.fees[Number(id) - 1] = 0n;
          return '0x';
        },
        sweepProtocolFees: async () => {
          o.accrued = 0n;
          return '0x';
        },
      },
    },
  };
  return { ledger: async () => ledger as unknown as MarketIncomeLedger, sent };
}

describe('market income collection', () => {
  it('claims only the assets this account owns with fees at or above the floor', async () => {
    const { ledger, sent } = fakeLedger({
      fees: [5n, 0n, 7n, 1n],
      owners: [ME, ME, OTHER, ME],
      treasury: OTHER,
      accrued: 9n,
    });
    const r = await collectMarketIncomeOnce({ minClaimWei: 2n }, { ledger, log });
    expect(r).toEqual({ claimedAssetIds: [1n], sweptWei: 0n });
    expect(sent).toEqual(['ComputeMarket.claimAssetFees']);
  });

  it('sweeps the protocol fees when this account is the treasury, and has nothing left on a second pass', async () => {
    const { ledger, sent } = fakeLedger({ fees: [3n], owners: [ME], treasury: ME, accrued: 4n });
    expect(await collectMarketIncomeOnce({ minClaimWei: 0n }, { ledger, log })).toEqual({
      claimedAssetIds: [1n],
      sweptWei: 4n,
    });
    expect(await collectMarketIncomeOnce({ minClaimWei: 0n }, { ledger, log })).toEqual({
      claimedAssetIds: [],
      sweptWei: 0n,
    });
    expect(sent).toEqual(['ComputeMarket.claimAssetFees', 'ComputeMarket.sweepProtocolFees']);
  });

  it('runs a pass at start and stop() waits for it', async () => {
    const { ledger, sent } = fakeLedger({ fees: [3n], owners: [ME], treasury: OTHER, accrued: 0n });
    const service = startMarketIncomeCollection({ intervalMs: 60_000, minClaimWei: 0n }, { ledger, log });
    await service.stop();
    expect(sent).toEqual(['ComputeMarket.claimAssetFees']);
  });
});
