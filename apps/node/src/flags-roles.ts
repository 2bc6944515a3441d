/**
 * The flags of the roles a node can take on besides being a node (Storage Vessel, GPU Vessel provider with its
 * multi-task switching and worker caps, rater, verifier, coordinator). Part of the one flag table that `flags.ts`
 * composes; a role's flag is named after the role it feeds, its default comes from the preset.
 */

import { aic, bool, choice, int, ms, strings, text } from './flag-kinds.ts';

/** `--storage`: the Storage Vessel's deal terms. */
export const STORAGE_FLAGS = {
  storage: bool('node', 'run the Storage Vessel: take StorageMarket deals, keep dataset replicas, answer challenges'),
  'storage-capacity-mib': int(
    'node',
    '<mib>',
    'storage: replica bytes this node keeps in all, MiB',
    { min: 1, max: 1_073_741_824 },
    (p) => p.storage.capacityMiB,
  ),
  'storage-price-aic-per-mib-epoch': aic(
    'node',
    'storage: price, AIC per MiB per storage epoch',
    (p) => p.storage.priceAicPerMiBEpoch,
  ),
  'storage-max-collateral-aic': aic(
    'node',
    'storage: most collateral posted for one deal, AIC',
    (p) => p.storage.maxCollateralAic,
  ),
} as const;

/** `--provider`: the GPU Vessel agent, its multi-task switching (mining) and its worker caps. */
export const PROVIDER_FLAGS = {
  provider: bool('provider', 'run the GPU Vessel agent: stake, offer, run assigned jobs in a capped worker'),
  'hw-class': int(
    'provider',
    '<0-4>',
    'hardware class claimed on chain, 0 = CPU (proven by challenge)',
    { min: 0, max: 4 },
    (p) => p.provider.hwClass,
  ),
  'stake-aic': aic('provider', 'stake when registering, AIC', (p) => p.provider.stakeAic),
  'price-aic-per-hour': aic('provider', 'offer price, AIC per hour', (p) => p.provider.priceAicPerHour),
  'mining-command': text(
    'provider',
    '<program>',
    "multi-task switching: the owner's mining program, run while no AI job trains and the owner's GPU use is low",
  ),
  'mining-arg': strings(
    'provider',
    '<arg>',
    'an argument of the mining program (--mining-arg=-x for one with a dash)',
    () => [],
  ),
  'mining-suspend': choice(
    'provider',
    '<method>',
    'how the miner yields: SIGSTOP/SIGCONT on its process group, or a clean stop and restart',
    ['signal', 'stop'] as const,
    (ctx) => ctx.preset.mining.suspend,
    (p) => p.mining.suspend,
  ),
  'mining-owner-threshold': int(
    'provider',
    '<percent>',
    "the owner's own GPU utilization at or above which mining yields to the owner",
    { min: 1, max: 100 },
    (p) => p.mining.ownerThresholdPercent,
  ),
  'mining-min-dwell-ms': ms(
    'provider',
    'least time between suspending the miner for the owner and resuming it (and back); jobs never wait',
    (p) => p.mining.minDwellMs,
    true,
  ),
  'worker-memory-mib': int(
    'provider',
    '<mib>',
    'heap cap of the training worker',
    { min: 100, max: 1_048_576 },
    (p) => p.worker.memoryMiB,
  ),
  'worker-timeout-ms': ms('provider', 'wall-clock cap of one training run', (p) => p.worker.timeoutMs),
} as const;

/** `--rater`: Proof of Value rating. */
export const RATER_FLAGS = {
  rater: bool(
    'node',
    "rate Proof of Value: stake, propose each ended epoch's scores, challenge wrong ones, apply the winning set",
  ),
  'rater-stake-aic': aic('node', 'rater: stake kept in the RewardsPool, AIC', (p) => p.rater.stakeAic),
} as const;

/** `--verifier` and `--coordinator` (the liveness grace also serves every requester). */
export const VERIFIER_COORDINATOR_FLAGS = {
  verifier: bool('verifier', 'verify committed jobs this node is drawn for (stakes the verifier minimum at start)'),
  coordinator: bool(
    'coordinator',
    "propose placements from each job's seeded shortlist and issue canaries (no key needed); preempt and arbitrate",
  ),
  'liveness-grace-ms': ms(
    'coordinator',
    'coordinator, and a requester for its own jobs: preempt a provider unreachable this long',
    (p) => p.coordinator.livenessGraceMs,
  ),
  'canary-interval-ms': ms(
    'coordinator',
    'coordinator: issue a canary job (known wrong answer) this often, 0 = never',
    (p) => p.coordinator.canaryIntervalMs,
    true,
  ),
} as const;
