/**
 * Inputs of the Resource Allocator. Plain numbers (not bigints) keep the hot path fast; every operation used on them
 * (+ − × ÷ √, comparisons) is exactly rounded by IEEE 754, so any machine reproduces the same decision.
 */
import { DEFAULT_PRESET } from '@aic/core/params';

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
  /**
   * The machine behind the offer with its free amounts, when the provider describes it: GPUs (by model, memory and
   * free share), CPU cores and host memory are consumables that placements use up and releases give back. Without
   * it the offer is a plain slot offer (only jobs without a hardware requirement amount can go there). With it,
   * `pricePerHour` and `tflops` are per whole GPU (a job on g GPUs pays g × price for g × tflops), or per job when
   * the job uses no GPU.
   */
  readonly machine?: Machine;
}

/** One accelerator of a machine. */
export interface Gpu {
  /** Model name as the vendor reports it, e.g. "A100-80G", "H100-80G". */
  readonly model: string;
  readonly memoryGiB: number;
  /** Accelerator kind (default "gpu"; e.g. "tpu", "npu"). */
  readonly kind?: string;
  /** Share of it still free, 0…1 (default 1). */
  readonly free?: number;
}

/** A machine's free resources as its offer declares them. */
export interface Machine {
  readonly gpus: readonly Gpu[];
  /** Free CPU cores (may be fractional). */
  readonly cpuCores: number;
  /** Free host memory, GiB. */
  readonly memoryGiB: number;
  /** Runtimes it runs (cpu, wasm, webgpu, tensorflow); absent: any. */
  readonly backends?: readonly string[];
}

/**
 * What a job needs from the hardware, in the terms users think in. Every amount is on ONE machine unless `spread`
 * says otherwise.
 */
export interface HardwareRequirement {
  /** GPUs: 0 (none), a fraction in (0, 1) of one GPU (time slicing / MIG), or a whole number on one machine. */
  readonly gpus?: number | undefined;
  /** Any of these GPU models (absent: any model). */
  readonly gpuModels?: readonly string[] | undefined;
  /** Minimum memory of each GPU used, GiB. */
  readonly minGpuMemoryGiB?: number | undefined;
  /** Any of these accelerator kinds (absent: "gpu" when GPUs are asked for). */
  readonly acceleratorKinds?: readonly string[] | undefined;
  /** CPU cores used up while the job runs. */
  readonly cpuCores?: number | undefined;
  /** Host memory used up while the job runs, GiB. */
  readonly memoryGiB?: number | undefined;
  /** Runtime the job needs (cpu, wasm, webgpu, tensorflow). */
  readonly backend?: string | undefined;
  /** Spread over several machines (multi-server multi-GPU): the amounts above are per machine. */
  readonly spread?: { readonly machines: number; readonly maxRttMs: number } | undefined;
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
  /** Exact hardware needs (models, per-GPU memory, GPU count or fraction, CPU and memory amounts, backend). */
  readonly hardware?: HardwareRequirement;
}

/** How costs are weighed. */
export interface CostModel {
  /** AIC per hour of the requester's waiting time, so that slow data transfer costs money. */
  readonly valueOfTimePerHour: number;
  /** Extra cost factor for an unknown provider: cost × (1 + reputationPenalty × (1 − reputation)). */
  readonly reputationPenalty: number;
  /** Offers within this fraction of the best cost are "near-best"; the seed picks among them. */
  readonly nearBestFraction: number;
  /**
   * Weight w of the placement terms in the score: score = cost × (1 + w × (ΔF + g + host + scarce)), with ΔF the
   * change of the machine's expected GPU fragmentation over the job mix (≥ −g), g the GPUs taken, host the GPUs'
   * worth of CPU or memory a host-heavy job strands, scarce the GPUs taken weighted by their class's scarcity. Every
   * term is ≥ 0 (the unit-cost order stays a lower bound). Default {@link DEFAULT_FRAGMENTATION_WEIGHT}.
   */
  readonly fragmentationWeight?: number;
  /** Weight s of GPU-class scarcity inside the placement terms. Default {@link DEFAULT_SCARCITY_WEIGHT}. */
  readonly scarcityWeight?: number;
}

export const DEFAULT_FRAGMENTATION_WEIGHT = 15;
export const DEFAULT_SCARCITY_WEIGHT = 10;

export const DEFAULT_COST_MODEL: CostModel = { ...DEFAULT_PRESET.allocator };

/** One kind of job in the expected mix, with its share of arrivals (weights are normalized). */
export interface JobMixEntry {
  readonly hardware: HardwareRequirement;
  readonly weight: number;
}

export interface Placement {
  readonly jobId: string;
  readonly offerId: string;
  readonly provider: string;
  /** Expected cost in AIC (compute + value of transfer time, reputation-weighted). */
  readonly cost: number;
  /** Expected price paid to the provider, AIC. */
  readonly price: number;
  /** GPUs used on the machine: index in `machine.gpus` and the share taken (absent for slot offers). */
  readonly gpus?: readonly { readonly index: number; readonly share: number }[];
  /** Change of the machine's expected fragmentation, GPUs (machine offers only). */
  readonly fragmentationDelta?: number;
}
