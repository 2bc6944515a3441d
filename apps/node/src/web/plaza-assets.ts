import { weiToAic } from '@aic/core';
import type { LedgerClient } from '@aic/ledger';
import {
  ASSET_KINDS,
  type PlazaAsset,
  type PlazaAssets,
  type PlazaAssetsQuery,
  type PlazaContracts,
} from '../api/plaza-schemas.ts';
import { type ProviderRecord, readAssetStandings, readProviderRecords } from './plaza-standing.ts';

/** Scanned at most per request, so a filter that matches little cannot make one request read the whole registry. */
const SCAN_MAX = 1_000;

/**
 * Reads one page of the AssetRegistry's assets (newest first) with their owner and lineage. Token ids are dense
 * (1..totalMinted), so no event scan is needed.
 */
export async function readPlazaAssets(
  ledger: Pick<LedgerClient, 'registry'> & Partial<Pick<LedgerClient, 'plaza' | 'market' | 'rewards'>>,
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
  // the rating columns: a failed event read leaves them out, the page still lists the assets
  const { plaza, market, rewards } = ledger;
  const standings =
    plaza === undefined || market === undefined || rewards === undefined
      ? undefined
      : await readAssetStandings(
          { plaza, market, rewards },
          assets.map((a) => ({ tokenId: BigInt(a.tokenId), owner: a.owner as `0x${string}` })),
        ).catch(() => undefined);
  for (const asset of assets) {
    const standing = standings?.get(asset.tokenId);
    if (standing !== undefined) asset.standing = standing;
  }
  return { totalMinted, assets };
}

/** What a dataset preview is anchored to on chain: the NFT's content root and the block after its mint. */
export interface DatasetAnchor {
  kind: string | undefined;
  contentRoot: `0x${string}`;
  mintBlock: bigint;
  seedBlock: bigint;
  /** Undefined while the block after the mint is not mined yet. */
  blockHash: `0x${string}` | undefined;
}

/**
 * Reads the anchor of a preview: the asset's content root, the block its AssetMinted event is in, and the hash of
 * the next block (mined after the root was published, so the publisher could not know it). Undefined: no such token.
 */
export async function readDatasetAnchor(
  ledger: Pick<LedgerClient, 'registry' | 'publicClient'>,
  tokenId: bigint,
): Promise<DatasetAnchor | undefined> {
  const total = await ledger.registry.read.totalMinted();
  if (tokenId < 1n || tokenId > total) return undefined;
  const [asset, minted] = await Promise.all([
    ledger.registry.read.assetOf([tokenId]),
    ledger.registry.getEvents.AssetMinted({ tokenId }, { fromBlock: 0n }),
  ]);
  const mintBlock = minted[0]?.blockNumber;
  if (mintBlock === undefined || mintBlock === null) return undefined;
  const seedBlock = mintBlock + 1n;
  const head = await ledger.publicClient.getBlockNumber();
  const blockHash =
    head < seedBlock ? undefined : (await ledger.publicClient.getBlock({ blockNumber: seedBlock })).hash;
  return { kind: ASSET_KINDS[asset.kind], contentRoot: asset.contentRoot, mintBlock, seedBlock, blockHash };
}

/** The chain and the contracts a browser wallet pays PLAZA through (the token's approve, Plaza's buyUses). */
export function readPlazaContracts(ledger: Pick<LedgerClient, 'deployment'>): PlazaContracts {
  const c = ledger.deployment.contracts;
  return { chainId: ledger.deployment.chainId, token: c.AICToken, plaza: c.Plaza, registry: c.AssetRegistry };
}

/** A provider's standing on chain: its proven (staked) hardware class, stake at risk and jobs in hand. */
export interface ProviderStanding {
  address: string;
  registered: boolean;
  hwClass: number;
  stakeWei: string;
  activeJobs: number;
  record?: ProviderRecord | undefined;
}

/** ProviderStakes' record of each address (ComputeMarket inherits it); an unregistered address reads as zeros. */
export async function readProviderStandings(
  ledger: Pick<LedgerClient, 'market'>,
  addresses: readonly `0x${string}`[],
): Promise<ProviderStanding[]> {
  const records = await readProviderRecords(ledger, addresses).catch(() => undefined);
  return await Promise.all(
    addresses.map(async (address) => {
      const p = await ledger.market.read.providerOf([address]);
      const record = records?.get(address.toLowerCase());
      return {
        address,
        registered: p.registered,
        hwClass: p.hwClass,
        stakeWei: p.stake.toString(),
        activeJobs: p.activeJobs,
        ...(record === undefined ? {} : { record }),
      };
    }),
  );
}
