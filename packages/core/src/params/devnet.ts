import { devnetPov } from './pov.ts';
import type { AicPreset } from './types.ts';

/** What `npm start` runs: 7 nodes and a chain on one machine, jobs settling in minutes. */
export const devnetPreset = {
  name: 'devnet',
  node: {
    apiHost: '127.0.0.1',
    apiPort: 7700,
    listen: ['/ip4/0.0.0.0/tcp/7600', '/ip4/0.0.0.0/tcp/7601/ws'],
    republishIntervalMs: 30_000,
    marketIncomeIntervalMs: 300_000,
    coordinatesIntervalMs: 10_000,
    targetPeers: 8,
    // A devnet job escrows ~50 AIC; room for a soak of tens of jobs a day per requester.
    budgetPerJobAic: '1000',
    budgetPerDayAic: '20000',
    holdingsIntervalMs: 30_000,
    holdingsTtlSeconds: 120,
    datasetCacheMiB: 2048,
    manifestMaxBytes: 4 * 1024 * 1024,
  },
  provider: { hwClass: 0, stakeAic: '500', priceAicPerHour: '40', offerRepublishMs: 5_000, offerTtlSeconds: 30 },
  rater: { stakeAic: '1000', pollIntervalMs: 2_000 },
  // A job waits at most 2 s for the miner to stop; mining and the owner's use swap at most every 10 s.
  mining: {
    suspend: 'signal',
    ownerThresholdPercent: 10,
    minDwellMs: 10_000,
    sampleIntervalMs: 2_000,
    suspendTimeoutMs: 2_000,
    restartBaseMs: 1_000,
    restartMaxMs: 60_000,
  },
  worker: { memoryMiB: 2048, timeoutMs: 3_600_000 },
  // 3 s of silence: a devnet provider on loopback that misses that long is gone (a restart takes ~6 s).
  coordinator: { livenessGraceMs: 3_000, canaryIntervalMs: 0, rechallengeAfterMs: 15_000, rejoinAfterMs: 10_000 },
  verification: { confidence: 0.99, cheatFraction: 0.1, tolerantMaxRelativeL2: 1e-3 },
  allocator: { valueOfTimePerHour: 5, reputationPenalty: 0.2, nearBestFraction: 0.01 },
  // A devnet block comes every second and a challenge has 20 blocks: looking every second answers in time.
  storage: {
    capacityMiB: 1024,
    priceAicPerMiBEpoch: '0.01',
    maxCollateralAic: '1000',
    dealEpochs: 24,
    collateralPerPrice: 2,
    answerIntervalMs: 1_000,
    collectIntervalMs: 30_000,
    auditIntervalMs: 60_000,
    acceptTimeoutMs: 60_000,
  },
  pov: devnetPov,
  contracts: {
    protocolFeeBps: 250,
    // Short windows: a devnet job verifies in ~15 s and settles 5 s later (the chain's time is fast-forwarded).
    challengeWindowSec: 5,
    slashBps: 10_000,
    slashToVerifierBps: 5_000,
    verifyWindowSec: 60,
    // Three providers drawn per job: on the devnet's few providers the allocator still picks by hardware and price.
    assignShortlistSize: 3,
    assignWindowSec: 30,
    verifierMinStakeAic: '100',
    verifierSilencePenaltyAic: '1',
    verifierSlashBps: 5_000,
    verifierUnbondingSec: 600,
    // A committee of 3 re-runs a devnet job's sampled segments in seconds; the appeal window is short to settle soon
    // (30 s: a loser's node under load still sees the ruling and appeals in time).
    courtCommitteeSize: 3,
    courtVoteWindowSec: 120,
    courtAppealWindowSec: 30,
    courtAppealBondAic: '50',
    plazaFeeBps: 250,
    epochDurationSec: 3_600,
    emissionPerEpochAic: '1000000',
    maxRewardWeiPerScore: '20000000',
    raterMinStakeAic: '100',
    scoreChallengeWindowSec: 10,
    raterSlashBps: 5_000,
    minStakeByClassAic: ['100', '1000', '2000', '5000', '10000'],
    storageEpochSec: 3_600,
    storageResponseWindowBlocks: 20,
    storageChallengerShareBps: 2_000,
  },
  povContracts: {
    // 10 % of the verified usage's value is minted on top (the RewardsPool pays at most 2 %: the rest builds reserve).
    issueWeiPerScore: '100000000',
    // At most 1 M AIC an epoch, halving every day of hour-long epochs: 45 M AIC in all (0.45 % of genesis).
    issueEpochsPerStep: 24,
    issueStepCapsAic: ['1000000', '500000', '250000', '125000'],
    issueOnAtDeploy: true,
    validatorMinStakeAic: '100',
    equivocationSlashBps: 5_000,
    invalidBlockSlashBps: 10_000,
    reporterShareBps: 5_000,
    validatorUnbondingSec: 600,
  },
} as const satisfies AicPreset;
