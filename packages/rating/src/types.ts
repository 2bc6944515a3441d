/**
 * Inputs of the Contribution Rating System: chain-like events (each one maps to a contract event, see README) and the
 * engine's parameters. Addresses are lower-case hex strings; amounts are wei (bigint); ratings are integers 0..100.
 */

export type Address = string;
export type ResourceKind = 'gpu' | 'dataset' | 'model' | 'storage';

/** Position on chain; events are processed in (block, logIndex) order so every recomputation sees the same sequence. */
interface ChainPosition {
  epoch: number;
  block: number;
  logIndex: number;
}

/** A resource appears (ProviderRegistered, AssetMinted, DealAccepted); `owner` receives its rewards. */
export interface ResourceRegistered extends ChainPosition {
  type: 'ResourceRegistered';
  resource: string;
  kind: ResourceKind;
  owner: Address;
}

/**
 * A resource changed hands (an asset NFT's ERC-721 `Transfer` after its mint, e.g. a PLAZA sale): from this event on,
 * `owner` receives the resource's score, as it receives its fees. The zero address (a burn) leaves it unowned.
 */
export interface OwnershipTransferred extends ChainPosition {
  type: 'OwnershipTransferred';
  resource: string;
  owner: Address;
}

/** Someone paid for a resource's use (JobSettled fees, UsesBought, AccessBought, StoragePaid). */
export interface UsagePaid extends ChainPosition {
  type: 'UsagePaid';
  resource: string;
  payer: Address;
  amountWei: bigint;
}

/** Verified work units (verified checkpoints, consumed uses, answered storage challenges), paid by `payer`. */
export interface WorkVerified extends ChainPosition {
  type: 'WorkVerified';
  resource: string;
  payer: Address;
  units: bigint;
}

/** A plain AIC transfer; funding links its two ends (a Sybil is usually funded by its operator). */
export interface Funded extends ChainPosition {
  type: 'Funded';
  from: Address;
  to: Address;
  amountWei: bigint;
}

/** An explicit link (same operator declared, or flagged by governance). */
export interface AddressesLinked extends ChainPosition {
  type: 'AddressesLinked';
  a: Address;
  b: Address;
}

/** A rater's stake (ProviderStakes / rater stake); the latest value counts. */
export interface StakeSet extends ChainPosition {
  type: 'StakeSet';
  account: Address;
  stakeWei: bigint;
}

/** A consumer's rating of a resource it paid for in the same epoch. */
export interface Rated extends ChainPosition {
  type: 'Rated';
  resource: string;
  rater: Address;
  rating: number;
}

/** A job or storage period ended: completed, or failed by an honest fault (timeout, crash, missed proof). */
export interface JobOutcome extends ChainPosition {
  type: 'JobOutcome';
  resource: string;
  completed: boolean;
}

/** Fraud proven (DisputeResolved with providerCheated, ProviderSlashed, DealFailed with a bad proof). */
export interface FraudProven extends ChainPosition {
  type: 'FraudProven';
  resource: string;
  slashedWei: bigint;
}

export type RatingEvent =
  | ResourceRegistered
  | OwnershipTransferred
  | UsagePaid
  | WorkVerified
  | Funded
  | AddressesLinked
  | StakeSet
  | Rated
  | JobOutcome
  | FraudProven;

export interface RatingParams {
  /** The epoch to score; events of earlier epochs only contribute registrations, stakes, links and funding. */
  epoch: number;
  /** Wei of value per verified work unit, per kind. */
  unitValueWei: Readonly<Record<ResourceKind, bigint>>;
  /** Weights of eligible paid usage and of work credit in the base value (sum ≤ 10,000 bps). */
  usageWeightBps: bigint;
  workWeightBps: bigint;
  /** Quality multiplier range: a resource rated 0 keeps this share of its base value. */
  qualityFloorBps: bigint;
  /**
   * Rating of paid usage nobody rated, and the clip when no staked rater rated. 100 (the default) makes ratings a
   * penalty only: Sybil praise cannot lift a score above what unrated usage earns.
   */
  neutralRating: number;
  /** One score unit is this much value (keeps the epoch total far below 1e18, so the dust bound stays ≤ n wei). */
  scoreUnitWei: bigint;
  /** The epoch's emission (RewardsPool emissionPerEpoch). */
  emissionWei: bigint;
  /** Most reward per wei of eligible usage, in bps; must stay below the smallest fee so wash trading never pays. */
  maxRewardBpsOfUsage: bigint;
  /**
   * Penalty (white paper): a resource proven fraudulent, or rated below this by the fee-weighted, median-clipped
   * consensus (worthless use), costs its owner what its usage would have earned at the cap, clawed back from the
   * owner's unclaimed rewards.
   */
  worthlessRating: number;
  /** Smallest protocol fee a payment pays (min of ComputeMarket and Plaza fees), in bps. */
  minFeeBps: bigint;
  /** Addresses left out of the link and cycle graph (exchanges, protocol contracts) so they do not link everyone. */
  hubAddresses: readonly Address[];
}
