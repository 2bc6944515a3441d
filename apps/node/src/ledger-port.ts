import type { PlazaAssets, PlazaAssetsQuery, PlazaContracts } from './api/plaza-schemas.ts';
import type { ExplorerService } from './explorer/explorer-service.ts';
import type { DatasetAnchor, ProviderStanding } from './web/plaza-assets.ts';

/** Balances of one address on the configured chain. */
export interface Balances {
  chainId: number;
  aicWei: bigint;
  /** The chain's native coin (gas), in wei. */
  nativeWei: bigint;
}

/** An account's Proof-of-Value standing in the RewardsPool. */
export interface RewardStanding {
  currentEpoch: number;
  /** Score not yet converted to AIC, and the epoch it was earned in. */
  score: bigint;
  scoreEpoch: number;
  /** AIC claimable now from finalized epochs. */
  claimableWei: bigint;
  emissionPerEpochWei: bigint;
}

/** What the node reads from the ledger (grows as later issues add jobs, assets, …). */
export interface NodeLedger {
  balances(address: `0x${string}`): Promise<Balances>;
  rewards(address: `0x${string}`): Promise<RewardStanding>;
  /** Claims the node account's rewards (signed with the node's key); resolves with the amount paid. */
  claimRewards(): Promise<{ amountWei: bigint; transactionHash: `0x${string}` }>;
  /** Rates a resource as the node account (RewardsPool.rate: kind 0 asset, 1 GPU provider, 2 storage provider). */
  rate?(
    kind: 0 | 1 | 2,
    id: bigint,
    rating: number,
  ): Promise<{ ratings: Array<{ rater: `0x${string}`; transactionHash: `0x${string}` }> }>;
  /** One page of the AssetRegistry's assets (the web client's PLAZA); absent in fakes that do not need it. */
  plazaAssets?(query: PlazaAssetsQuery): Promise<PlazaAssets>;
  /** The contracts a browser wallet pays PLAZA through; absent in fakes. */
  plazaContracts?(): Promise<PlazaContracts>;
  /** A dataset preview's on-chain anchor (content root, mint block, next block's hash); absent in fakes. */
  datasetAnchor?(tokenId: bigint): Promise<DatasetAnchor | undefined>;
  /** Providers' on-chain standing for the GPU offers table; absent in fakes. */
  plazaProviders?(addresses: readonly `0x${string}`[]): Promise<ProviderStanding[]>;
  /** Read-only chain views of the Explorer and the dashboards (explorer/); absent in fakes. */
  explorer?: ExplorerService;
}
