import { weiToAic } from '@aic/core';
import type { LedgerClient } from '@aic/ledger';
import { z } from 'zod';

/** Asset kinds as the AssetRegistry numbers them (AssetTypes.sol `AssetKind`). */
export const ASSET_KINDS = ['Data', 'Dataset', 'Model', 'TrainedAI'] as const;
export type AssetKindName = (typeof ASSET_KINDS)[number];

/** Most assets one page lists; the registry is read newest first, one token at a time. */
export const PLAZA_PAGE_MAX = 200;

/** `GET /v1/plaza/assets?kind=&offset=&limit=`: newest first; `offset` counts matching assets. */
export const plazaAssetsQuerySchema = z.strictObject({
  kind: z.enum(ASSET_KINDS).optional(),
  offset: z.coerce.number().int().min(0).max(Number.MAX_SAFE_INTEGER).default(0),
  limit: z.coerce.number().int().min(1).max(PLAZA_PAGE_MAX).default(50),
});
export type PlazaAssetsQuery = z.output<typeof plazaAssetsQuerySchema>;

const uintText = z.string().regex(/^(0|[1-9][0-9]*)$/);

export const plazaAssetSchema = z.object({
  tokenId: uintText,
  kind: z.enum(ASSET_KINDS),
  owner: z.string(),
  pricePerUseWei: uintText,
  pricePerUse: z.string().describe('the same price in AIC, decimal'),
  licenseId: z.number().int(),
  transferCount: z.number().int(),
  contentRoot: z.string(),
  manifestCid: z.string(),
  lineage: z.array(z.object({ parentId: uintText, shareBps: z.number().int() })),
});
export type PlazaAsset = z.infer<typeof plazaAssetSchema>;

export const plazaAssetsSchema = z.object({
  /** Every asset minted so far (of any kind). */
  totalMinted: z.number().int(),
  assets: z.array(plazaAssetSchema),
});
export type PlazaAssets = z.infer<typeof plazaAssetsSchema>;

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
