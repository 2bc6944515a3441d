/**
 * One typed set of every default a running AIC system uses (Lodestar `params/presets`): the node process, the job
 * roles, the worker sandbox, the allocator, and the contract parameters a deployment starts with. Code reads a
 * default from a preset, never from a literal of its own; `apps/node/src/flags.ts` turns the node's part into flags.
 */

/** The presets: `minimal` keeps tests fast, `devnet` is what `npm start` runs, `mainnet` is production-like. */
export const PRESET_NAMES = ['minimal', 'devnet', 'mainnet'] as const;
export type PresetName = (typeof PRESET_NAMES)[number];

/** The node process: API, libp2p, gossip and coordinate timers. */
export interface NodePreset {
  /** Loopback unless the operator says otherwise (writes need the node's API token; Host and Origin are checked). */
  readonly apiHost: string;
  readonly apiPort: number;
  /** TCP for nodes, WebSockets for browsers. */
  readonly listen: readonly string[];
  /** How often a node gossips its own offers again. */
  readonly republishIntervalMs: number;
  /** How often peer RTTs are sampled for Vivaldi coordinates. */
  readonly coordinatesIntervalMs: number;
  /** Connections the node keeps (dialling peers from peer exchange and gossip, re-dialling lost ones); 0 = none. */
  readonly targetPeers: number;
  /** Most the API may escrow for one job (budget + fees + asset prices + verifier fee), AIC; '0' = no cap. */
  readonly budgetPerJobAic: string;
  /** Most the API may escrow per UTC day, AIC; '0' = no cap. */
  readonly budgetPerDayAic: string;
  /** How often a node gossips its holdings (datasets, models it serves) again on `aic/holdings/1`. */
  readonly holdingsIntervalMs: number;
  /** How long a holdings announcement is valid (a few intervals, so one lost message does not drop a holder). */
  readonly holdingsTtlSeconds: number;
  /** The worker's verified dataset shard cache under `<data-dir>/cache`, MiB. */
  readonly datasetCacheMiB: number;
  /** Largest dataset or model manifest a node fetches from a holder, bytes. */
  readonly manifestMaxBytes: number;
}

/** The GPU Vessel agent (`--provider`). */
export interface ProviderPreset {
  /** Hardware class claimed on chain (0 = CPU … 4 = multi-GPU), proven by the coordinator's challenge. */
  readonly hwClass: number;
  /** Stake when registering, AIC (at least the contracts' minimum for `hwClass`). */
  readonly stakeAic: string;
  readonly priceAicPerHour: string;
  /** How often the agent gossips its offer again, and how long an offer lives. */
  readonly offerRepublishMs: number;
  readonly offerTtlSeconds: number;
}

/** The training worker's sandbox. */
export interface WorkerPreset {
  /** V8 old-space cap of the worker process, MiB. */
  readonly memoryMiB: number;
  /** Wall-clock cap of one training run. */
  readonly timeoutMs: number;
}

/** The coordinator (allocator + liveness + arbiter + canaries). */
export interface CoordinatorPreset {
  /** A provider unreachable this long is preempted. */
  readonly livenessGraceMs: number;
  /** Issue a canary job (known wrong answer) this often; 0 = none. */
  readonly canaryIntervalMs: number;
  /** A provider that failed its hardware challenge is challenged again this much later. */
  readonly rechallengeAfterMs: number;
  /** A fresh offer from a provider preempted for silence at least this long ago brings it back. */
  readonly rejoinAfterMs: number;
}

/** The network's verification policy: confidence of catching a provider that fakes `cheatFraction` of its segments. */
export interface VerificationPreset {
  readonly confidence: number;
  readonly cheatFraction: number;
}

/** The allocator's cost model (see `@aic/allocator` CostModel). */
export interface AllocatorPreset {
  /** AIC an hour of transfer time is worth to the requester. */
  readonly valueOfTimePerHour: number;
  /** Cost added per unit of missing reputation (0..1). */
  readonly reputationPenalty: number;
  /** Offers within this fraction of the best cost are "near best" and drawn among with the chain's seed. */
  readonly nearBestFraction: number;
}

/** The Storage Vessel (`--storage`: a provider keeping replicas) and a data owner placing them. */
export interface StoragePreset {
  /** Replica bytes a storage node accepts in all, MiB. */
  readonly capacityMiB: number;
  /** A storage node's price, AIC per MiB (rounded up) per storage epoch. */
  readonly priceAicPerMiBEpoch: string;
  /** Most collateral a storage node posts for one deal, AIC. */
  readonly maxCollateralAic: string;
  /** Epochs of a deal a data owner proposes unless told otherwise. */
  readonly dealEpochs: number;
  /** Collateral a data owner asks for, as a multiple of the deal's whole price. */
  readonly collateralPerPrice: number;
  /** How often a storage node looks for open challenges on its deals (well inside the response window). */
  readonly answerIntervalMs: number;
  /** How often a storage node collects what its deals earned (paid epochs, completed deals). */
  readonly collectIntervalMs: number;
  /** How often a data owner challenges its replicas, slashes missed challenges and repairs failed deals; 0 = never. */
  readonly auditIntervalMs: number;
  /** How long a data owner waits for a provider to accept a proposed deal on chain before cancelling it. */
  readonly acceptTimeoutMs: number;
}

/** Contract parameters a deployment starts with (validated by `@aic/ledger`'s `marketParamsSchema`). */
export interface ContractsPreset {
  readonly protocolFeeBps: number;
  readonly challengeWindowSec: number;
  readonly slashBps: number;
  readonly slashToVerifierBps: number;
  /** Time the drawn verifier has for its verdict before anyone may draw another. */
  readonly verifyWindowSec: number;
  readonly plazaFeeBps: number;
  readonly epochDurationSec: number;
  readonly emissionPerEpochAic: string;
  /** Minimum provider stake per hardware class (index = class), AIC. */
  readonly minStakeByClassAic: readonly string[];
  readonly storageEpochSec: number;
  readonly storageResponseWindowBlocks: number;
  readonly storageChallengerShareBps: number;
}

export interface AicPreset {
  readonly name: PresetName;
  readonly node: NodePreset;
  readonly provider: ProviderPreset;
  readonly worker: WorkerPreset;
  readonly coordinator: CoordinatorPreset;
  readonly verification: VerificationPreset;
  readonly allocator: AllocatorPreset;
  readonly storage: StoragePreset;
  readonly contracts: ContractsPreset;
}
