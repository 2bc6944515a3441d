/**
 * The PoV chain's consensus defaults (`@aic/chain` consensus/, DESIGN.md §10): slot clock, epoch length, the
 * block-rate target the ticket threshold is retargeted to, the verified-work window, the genesis bootstrap weight
 * and the committee size. Every validator must run the same values: they decide which seals and blocks are valid.
 */
export interface PovPreset {
  /** Length of a slot, whole seconds (header timestamps are seconds): at most one block per slot, the lowest VRF
   * output among eligible proposers wins. */
  readonly slotMs: number;
  /** Slots per epoch: randomness, threshold and the work weights change only at epoch boundaries. */
  readonly slotsPerEpoch: number;
  /** The block rate the threshold is retargeted to (the white paper's 0.5 blocks/s at launch). */
  readonly targetBlocksPerSecond: number;
  /** Expected eligible proposers per slot at genesis, before any retarget (ln 2 ≈ 0.69 gives 0.5 blocks per slot). */
  readonly initialTicketsPerSlot: number;
  /** Most one retarget multiplies or divides the threshold by (a bounded step: noise cannot swing it). */
  readonly retargetMaxFactor: number;
  /** Epochs of verified work that weigh a validator's tickets (the "recent window"). */
  readonly workWindowEpochs: number;
  /**
   * Weight, in FLOPs, each genesis validator carries on top of its verified work, so the chain starts (and keeps
   * going through idle hours) before any work is verified; '0' = only verified work counts. Small against one
   * verified training segment, so work dominates as soon as it exists.
   */
  readonly bootstrapWeightFlops: string;
  /** Largest committee attesting one block (the committee is min(validators − 1, this), proposer excluded). */
  readonly committeeMaxSize: number;
  /**
   * Epoch e's randomness, threshold and work weights come from the finalized blocks of epoch e − lookbackEpochs,
   * so every validator has them final before e starts (finality lags a few blocks; an epoch is tens of slots).
   */
  readonly lookbackEpochs: number;
}

/** The devnet's chain: 1 s slots (0.5 blocks/s means half of them are empty), 32-slot epochs. */
export const devnetPov = {
  slotMs: 1_000,
  slotsPerEpoch: 32,
  targetBlocksPerSecond: 0.5,
  initialTicketsPerSlot: 0.69,
  retargetMaxFactor: 2,
  workWindowEpochs: 8,
  // One devnet training segment is ~10^9–10^11 FLOPs: a bootstrap of 10^8 is a tenth of the smallest.
  bootstrapWeightFlops: '100000000',
  committeeMaxSize: 7,
  lookbackEpochs: 2,
} as const satisfies PovPreset;

/** Tests: shorter epochs so retargeting and randomness rotation show within seconds. */
export const minimalPov = { ...devnetPov, slotsPerEpoch: 8, workWindowEpochs: 4 } as const satisfies PovPreset;

/** Production-like: the devnet's rate, longer epochs and work window (an hour of work weighs a ticket). */
export const mainnetPov = {
  ...devnetPov,
  slotsPerEpoch: 256,
  workWindowEpochs: 16,
  committeeMaxSize: 15,
} as const satisfies PovPreset;

/**
 * `npm run devnet -- --chain pov` (apps/devnet pov-chain.ts): the devnet on a PoV chain whose validators are its GPU
 * Vessels. Contract windows over the devnet preset's: a transaction waits for a block (0.5 blocks/s, ~2–4 s each on
 * a loaded machine, where the embedded EVM mines at once), so the steps inside one window take several times longer.
 */
export const devnetPovChain = {
  /** Genesis validators, each a GPU Vessel node process (issue 17: ≥ 4). */
  validators: 4,
  /** Dev accounts 0 … 19 hold native gas at genesis: deployer, buckets, roles (0–11) and the node accounts (12–19). */
  devAccounts: 20,
  /** Native wei each (Hardhat's dev accounts' 10,000 ETH). */
  devAccountBalanceWei: '10000000000000000000000',
  /** FLOPs a verified checkpoint counts for in the validators' tickets (genesis `computeMarket.flopsPerCheckpoint`:
   * the market records checkpoints, not FLOPs; one chain-wide figure, as in the verified-work test). */
  flopsPerCheckpoint: '1000000000',
  /** deployAic's order on a fresh admin: AICToken, RewardsPool, AssetRegistry, Payroll, Plaza, ComputeMarket — the
   * market's address is the admin's CREATE address at this nonce, named in the genesis before it exists. */
  computeMarketAdminNonce: 5,
  /** deployDevnet's PoV step deploys AICIssuer, then ValidatorStakes from the same admin, after deployAic's and the
   * role set-up's transactions: ValidatorStakes is the admin's CREATE address at this nonce (the genesis names it, so
   * validators read each epoch's set from it; pov-chain.ts checks the deployed address). */
  validatorStakesAdminNonce: 22,
  /** The contracts deploy once the chain is at this block (the validators found each other and agree). */
  blocksBeforeDeploy: 2,
  /** Bound on waiting for blocks: the first ones, and a restarted validator catching up. */
  blocksTimeoutMs: 180_000,
  /** Validators agree when their blocks this far below the lowest head are the same (tips differ for a slot). */
  agreementDepthBlocks: 3,
  /** Rounds of restarting a validator left on a branch of its own before the devnet gives up. */
  strayRestarts: 3,
  /** Bound on one JSON-RPC request of the devnet process to a validator (eth_call takes seconds under load). */
  rpcTimeoutMs: 60_000,
  /**
   * Bound on one JSON-RPC request of a node process to its chain (`connectLedger`: reads, estimates, sends). Sized
   * for a loaded machine: at load 20–30 one validator's eth_estimateGas took 12.6 s against the former fixed 20 s
   * (since then an estimate runs on one VM, not one per try); a request past it fails and the caller's retry decides.
   */
  nodeRpcTimeoutMs: 60_000,
  /** Bound on the demo's node API calls that write to the chain (publish, submit: the node retries a chain call
   * that timed out, each waiting for a block; one submit took > 60 s at load ~26). */
  apiTimeoutMs: 300_000,
  contracts: {
    challengeWindowSec: 10,
    verifyWindowSec: 180,
    assignWindowSec: 90,
    scoreChallengeWindowSec: 30,
  },
} as const;
