/**
 * Publishing a member's own model from its node: the manifest is validated (schema, layer allow-list, limits), its
 * exact bytes go into the content store, and the Model NFT is minted with manifestCid = their CID and contentRoot =
 * keccak256 of them, so anyone who fetches the bytes can check them against the chain before building the model.
 * Numeric lineage parents of the manifest become the NFT's lineage (income shares upstream through Payroll).
 */
import { validateManifest } from '@aic/model-vessel';
import { keccak256 } from 'viem';
import type { ModelCatalog } from './model-catalog.ts';
import type { ContentStore } from './model-content.ts';
import type { ModelLedger } from './model-ledger.ts';

export interface PublishedModel {
  modelId: string;
  manifestCid: string;
  contentRoot: `0x${string}`;
  pricePerUseWei: bigint;
}

export async function publishModel(
  c: { ledger: ModelLedger; content: ContentStore; catalog: ModelCatalog },
  request: { manifestText: string; pricePerUseWei: bigint },
): Promise<PublishedModel> {
  const { manifest } = validateManifest(request.manifestText);
  const bytes = new TextEncoder().encode(request.manifestText);
  const manifestCid = await c.content.put(bytes);
  const contentRoot = keccak256(bytes);
  const lineage = manifest.lineage.parents
    .filter((p) => /^[1-9][0-9]{0,9}$/.test(p.id))
    .map((p) => ({ parentId: BigInt(p.id), shareBps: p.shareBps }));
  const tokenId = await c.ledger.mintModel({
    manifestCid,
    contentRoot,
    pricePerUseWei: request.pricePerUseWei,
    ...(lineage.length > 0 ? { lineage } : {}),
  });
  await c.catalog.addPublished(String(tokenId), manifestCid);
  return { modelId: String(tokenId), manifestCid, contentRoot, pricePerUseWei: request.pricePerUseWei };
}
