/**
 * One typed set of every default a running AIC system uses (Lodestar `params/presets`): the node process, the job
 * roles, the worker sandbox, the allocator, and the contract parameters a deployment starts with. Code reads a
 * default from a preset, never from a literal of its own; `apps/node/src/flags.ts` turns the node's part into flags.
 */

import type { PovPreset } from './pov.ts';

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
  /** How often a node claims what ComputeMarket accrued to its account (asset fees; protocol fees as treasury): one
   * claim covers every job settled since the last, so rarely. */
  readonly marketIncomeIntervalMs: number;
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

/** Multi-task switching on a provider (`--mining-command`): the owner's miner runs while no AI job trains. */
export interface MiningPreset {
  /** How the miner is suspended for a job or the owner: SIGSTOP/SIGCONT on its process group, or a clean stop and
   * restart (frees its GPU memory). */
  readonly suspend: 'signal' | 'stop';
  /** The owner's own GPU utilization, percent, at or above which mining yields to the owner. */
  readonly ownerThresholdPercent: number;
  /** Least time between suspending the miner and resuming it (and back) for the owner's use; jobs never wait. */
  readonly minDwellMs: number;
  /** How often the owner's GPU use is sampled (nvidia-smi). */
  readonly sampleIntervalMs: number;
  /** Bound on one suspension: a miner not stopped by then is killed, so a job never shares the GPU with it. */
  readonly suspendTimeoutMs: number;
  /** First wait before restarting a crashed miner, doubled per crash in a row up to `restartMaxMs`. */
  readonly restartBaseMs: number;
  readonly restartMaxMs: number;
}

/** The rater role (`--rater`): Proof-of-Value scores proposed, checked and challenged by staked nodes. */
export interface RaterPreset {
  /** Stake the rater keeps in the RewardsPool, AIC (at least the contract's `raterMinStakeAic`). */
  readonly stakeAic: string;
  /** How often the rater looks for an ended epoch to rate, a proposal to check or a window that closed. */
  readonly pollIntervalMs: number;
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
  /** Tolerant mode (webgpu jobs): a re-run segment is accepted when ‖claimed − recomputed‖ / ‖recomputed‖ of the
   * weights (and of the optimizer state) is at most this. GPU float drift over a segment is ~1e-8..1e-5; one skipped
   * optimizer step moves the weights by ~1e-2 (docs/ARCHITECTURE.md, "WebGPU jobs"). */
  readonly tolerantMaxRelativeL2: number;
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
  /** Providers on an unplaced job's seeded shortlist, any of whom anyone may propose (ComputeMarket.assignJob). */
  readonly assignShortlistSize: number;
  /** Time a shortlist stands before anyone may draw another for a job still unplaced. */
  readonly assignWindowSec: number;
  /** Stake a verifier needs to be drawn, AIC (ComputeMarket's VerifierStakes). */
  readonly verifierMinStakeAic: string;
  /** What a drawn verifier silent past the verify window loses, AIC (small: an honest fault, e.g. a crash). */
  readonly verifierSilencePenaltyAic: string;
  /** Share of its stake a verifier loses when a dispute or a canary proves its verdict wrong. */
  readonly verifierSlashBps: number;
  /** Time between a verifier asking to leave and withdrawing its stake (it can still be slashed meanwhile). */
  readonly verifierUnbondingSec: number;
  /** DisputeCourt: referees of a first committee (≥ 3; an appeal seats twice as many). */
  readonly courtCommitteeSize: number;
  /** Time a drawn committee has to re-run the disputed segments and vote. */
  readonly courtVoteWindowSec: number;
  /** Time the first ruling's loser has to appeal (the ruling is executed after it). */
  readonly courtAppealWindowSec: number;
  /** AIC an appellant puts up (back if the appeal wins, else to the appeal's majority referees). */
  readonly courtAppealBondAic: string;
  readonly plazaFeeBps: number;
  readonly epochDurationSec: number;
  readonly emissionPerEpochAic: string;
  /**
   * Most AIC wei an epoch pays per score unit (RewardsPool): 2 % of the 1-gwei unit of verified usage, below the
   * 2.5 % fee, so a reward never exceeds the fees that earned it; the rest stays in the pool.
   */
  readonly maxRewardWeiPerScore: string;
  /** Stake a rater needs to propose or back an epoch's scores, AIC. */
  readonly raterMinStakeAic: string;
  /** How long other raters have to back or challenge an epoch's first score proposal. */
  readonly scoreChallengeWindowSec: number;
  /** Share of its stake a rater loses for backing a score set that was not applied. */
  readonly raterSlashBps: number;
  /** Minimum provider stake per hardware class (index = class), AIC. */
  readonly minStakeByClassAic: readonly string[];
  readonly storageEpochSec: number;
  readonly storageResponseWindowBlocks: number;
  readonly storageChallengerShareBps: number;
}

/**
 * The PoV chain's contracts (deployed only with the PoV chain): AICIssuer's published schedule (extra issuance) and
 * ValidatorStakes' terms (validators stake AIC; equivocation and invalid blocks are slashed on evidence).
 */
export interface PovContractsPreset {
  /** AIC wei minted per score unit of an epoch's verified value (a score unit is 1 gwei of verified usage). */
  readonly issueWeiPerScore: string;
  /** Epochs per row of the decaying cap table. */
  readonly issueEpochsPerStep: number;
  /** Per-epoch issuance cap of each row, AIC; after the last row nothing mints. */
  readonly issueStepCapsAic: readonly string[];
  /** Issuance switched on at deployment (governance switches it later either way). */
  readonly issueOnAtDeploy: boolean;
  /** Stake a validator needs to propose and attest, AIC. */
  readonly validatorMinStakeAic: string;
  /** Share of its stake a validator loses for two seals in one slot / for a block ≥ 2/3 of its committee rejected. */
  readonly equivocationSlashBps: number;
  readonly invalidBlockSlashBps: number;
  /** Share of a slash paid to whoever submitted the evidence; the rest goes to the treasury. */
  readonly reporterShareBps: number;
  /** Time between a validator asking to leave and withdrawing its stake (it can still be slashed meanwhile). */
  readonly validatorUnbondingSec: number;
}

export interface AicPreset {
  readonly name: PresetName;
  readonly node: NodePreset;
  readonly provider: ProviderPreset;
  readonly rater: RaterPreset;
  readonly mining: MiningPreset;
  readonly worker: WorkerPreset;
  readonly coordinator: CoordinatorPreset;
  readonly verification: VerificationPreset;
  readonly allocator: AllocatorPreset;
  readonly storage: StoragePreset;
  readonly contracts: ContractsPreset;
  readonly povContracts: PovContractsPreset;
  /** The PoV chain's consensus (`@aic/chain` consensus/, DESIGN.md §10). */
  readonly pov: PovPreset;
}
