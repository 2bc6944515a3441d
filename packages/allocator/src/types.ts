/**
 * Inputs of the Resource Allocator. Plain numbers (not bigints) keep the hot path fast; every operation used on them
 * (+ − × ÷ √, comparisons) is exactly rounded by IEEE 754, so any machine reproduces the same decision.
 */

/** A network coordinate (Vivaldi): estimated RTT = ‖a − b‖ + heightA + heightB, in ms. */
export interface Coordinate {
  readonly vec: readonly number[];
  readonly height: number;
}

/** One placeable offer of a GPU Vessel (a provider may have several, e.g. one per GPU class). */
export interface Offer {
  readonly id: string;
  readonly provider: string;
  /** Declared hardware class (0 CPU … 4 multi-GPU), proven by challenge before it counts. */
  readonly hwClass: number;
  readonly memoryGiB: number;
  /** Measured throughput, TFLOP/s, from the provider's benchmark and verified history. */
  readonly tflops: number;
  /** Price in AIC per hour. */
  readonly pricePerHour: number;
  /** Stake in AIC. */
  readonly stake: number;
  /** 0 (unknown or bad) … 1 (long verified history). */
  readonly reputation: number;
  readonly coordinate: Coordinate;
  /** Ingress bandwidth, MB/s. */
  readonly bandwidthMBps: number;
  /** Datasets already in the provider's verified cache (no transfer needed). */
  readonly cachedDatasets: ReadonlySet<string> | readonly string[];
  /** Jobs it can still take. */
  readonly slots: number;
}

/** What a job needs. */
export interface JobDemand {
  readonly id: string;
  readonly minHwClass: number;
  readonly minMemoryGiB: number;
  /** Work in TFLOP (total floating-point operations / 10¹²). */
  readonly workTflop: number;
  /** Highest acceptable price, AIC per hour. */
  readonly maxPricePerHour: number;
  readonly minStake: number;
  readonly datasetId?: string;
  readonly datasetMB: number;
  /** Where the dataset can be fetched from (nearest holder is used). */
  readonly dataSources: readonly Coordinate[];
  /** Providers the job must not go to (e.g. the requester's own addresses). */
  readonly excludeProviders?: readonly string[];
}

/** How costs are weighed. */
export interface CostModel {
  /** AIC per hour of the requester's waiting time, so that slow data transfer costs money. */
  readonly valueOfTimePerHour: number;
  /** Extra cost factor for an unknown provider: cost × (1 + reputationPenalty × (1 − reputation)). */
  readonly reputationPenalty: number;
  /** Offers within this fraction of the best cost are "near-best"; the seed picks among them. */
  readonly nearBestFraction: number;
}

export const DEFAULT_COST_MODEL: CostModel = { valueOfTimePerHour: 5, reputationPenalty: 0.2, nearBestFraction: 0.01 };

export interface Placement {
  readonly jobId: string;
  readonly offerId: string;
  readonly provider: string;
  /** Expected cost in AIC (compute + value of transfer time, reputation-weighted). */
  readonly cost: number;
  /** Expected price paid to the provider, AIC. */
  readonly price: number;
}
