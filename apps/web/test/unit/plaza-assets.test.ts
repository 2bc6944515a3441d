/** GET /v1/plaza/assets' reader over a fake AssetRegistry: newest first, kind filter, offset, owner and lineage. */
import { readPlazaAssets } from '@aic/node/web';
import { describe, expect, it } from 'vitest';

type Registry = Parameters<typeof readPlazaAssets>[0]['registry'];

/** Kinds by token id (1-based): 0 Data, 1 Dataset, 2 Model, 3 TrainedAI. */
function fakeRegistry(kinds: number[]): { registry: Registry; reads: bigint[] } {
  const reads: bigint[] = [];
  const read = {
    totalMinted: async () => BigInt(kinds.length),
    assetOf: async ([id]: readonly [bigint]) => {
      reads.push(id);
      return {
        kind: kinds[Number(id) - 1]!,
        licenseId: 7,
        pricePerUse: 2n * 10n ** 18n,
        transferCount: 1n,
        contentRoot: `0x${'ab'.repeat(32)}`,
        manifestCid: `cid-${id}`,
      };
    },
    ownerOf: async ([id]: readonly [bigint]) => `0x${id.toString(16).padStart(40, '0')}`,
    lineageOf: async ([id]: readonly [bigint]) => (id === 3n ? [{ parentId: 1n, shareBps: 3000 }] : []),
  };
  return { registry: { read } as unknown as Registry, reads };
}

describe('readPlazaAssets', () => {
  it('lists the newest first with owner, price in AIC and lineage', async () => {
    const { registry } = fakeRegistry([1, 2, 3]);
    const page = await readPlazaAssets({ registry }, { offset: 0, limit: 50 });
    expect(page.totalMinted).toBe(3);
    expect(page.assets.map((a) => [a.tokenId, a.kind])).toEqual([
      ['3', 'TrainedAI'],
      ['2', 'Model'],
      ['1', 'Dataset'],
    ]);
    expect(page.assets[0]).toMatchObject({
      owner: `0x${'3'.padStart(40, '0')}`,
      pricePerUseWei: '2000000000000000000',
      pricePerUse: '2',
      licenseId: 7,
      transferCount: 1,
      manifestCid: 'cid-3',
      lineage: [{ parentId: '1', shareBps: 3000 }],
    });
  });

  it('filters by kind, then skips offset matches and stops at limit', async () => {
    const { registry, reads } = fakeRegistry([1, 2, 1, 1, 2, 1]);
    const page = await readPlazaAssets({ registry }, { kind: 'Dataset', offset: 1, limit: 2 });
    expect(page.assets.map((a) => a.tokenId)).toEqual(['4', '3']);
    expect(reads).toEqual([6n, 5n, 4n, 3n]); // stops reading once the page is full
    const first = await readPlazaAssets({ registry }, { kind: 'Dataset', offset: 0, limit: 1 });
    expect(first.assets.map((a) => a.tokenId)).toEqual(['6']);
  });

  it('an empty registry is an empty page', async () => {
    const { registry } = fakeRegistry([]);
    expect(await readPlazaAssets({ registry }, { offset: 0, limit: 10 })).toEqual({ totalMinted: 0, assets: [] });
  });
});
