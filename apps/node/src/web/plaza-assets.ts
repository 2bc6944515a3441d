import { weiToAic } from '@aic/core';
import type { LedgerClient } from '@aic/ledger';
import { ASSET_KINDS, type PlazaAsset, type PlazaAssets, type PlazaAssetsQuery } from '../api/plaza-schemas.ts';

/** Scanned at most per request, so a filter that matches little cannot make one request read the whole registry. */
const SCAN_MAX = 1_000;

/**
 * Reads one page of the AssetRegistry's assets (newest first) with their owner and lineage. Token ids are dense
 * (1..totalMinted), so no event scan is needed.
 */
export async function readPlazaAssets(
  ledger: Pick<LedgerClient, 'registry'>,
  query: PlazaAssetsQuery,
): Promise<PlazaAssets> {
  const totalMinted = Number(await ledger.registry.read.totalMinted());
  const assets: PlazaAsset[] = [];
  let skipped = 0;
  const lowest = Math.max(1, totalMinted - SCAN_MAX + 1);
  for (let id = totalMinted; id >= lowest && assets.length < query.limit; id--) {
    const tokenId = BigInt(id);
    const asset = await ledger.registry.read.assetOf([tokenId]);
    const kind = ASSET_KINDS[asset.kind];
    if (kind === undefined || (query.kind !== undefined && kind !== query.kind)) continue;
    if (skipped < query.offset) {
      skipped++;
      continue;
    }
    const [owner, lineage] = await Promise.all([
      ledger.registry.read.ownerOf([tokenId]),
      ledger.registry.read.lineageOf([tokenId]),
    ]);
    assets.push({
      tokenId: tokenId.toString(),
      kind,
      owner,
      pricePerUseWei: asset.pricePerUse.toString(),
      pricePerUse: weiToAic(asset.pricePerUse),
      licenseId: asset.licenseId,
      transferCount: Number(asset.transferCount),
      contentRoot: asset.contentRoot,
      manifestCid: asset.manifestCid,
      lineage: lineage.map((link) => ({ parentId: link.parentId.toString(), shareBps: link.shareBps })),
    });
  }
  return { totalMinted, assets };
}
