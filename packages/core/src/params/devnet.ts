import type { AicPreset } from './types.ts';

/** What `npm start` runs: 7 nodes and a chain on one machine, jobs settling in minutes. */
export const devnetPreset = {
  name: 'devnet',
  node: {
    apiHost: '127.0.0.1',
    apiPort: 7700,
    listen: ['/ip4/0.0.0.0/tcp/7600', '/ip4/0.0.0.0/tcp/7601/ws'],
    republishIntervalMs: 30_000,
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
  worker: { memoryMiB: 2048, timeoutMs: 3_600_000 },
  // 3 s of silence: a devnet provider on loopback that misses that long is gone (a restart takes ~6 s).
  coordinator: { livenessGraceMs: 3_000, canaryIntervalMs: 0, rechallengeAfterMs: 15_000, rejoinAfterMs: 10_000 },
  verification: { confidence: 0.99, cheatFraction: 0.1 },
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
  contracts: {
    protocolFeeBps: 250,
    // Short windows: a devnet job verifies in ~15 s and settles 5 s later (the chain's time is fast-forwarded).
    challengeWindowSec: 5,
    slashBps: 10_000,
    slashToVerifierBps: 5_000,
    verifyWindowSec: 60,
    plazaFeeBps: 250,
    epochDurationSec: 3_600,
    emissionPerEpochAic: '1000000',
    minStakeByClassAic: ['100', '1000', '2000', '5000', '10000'],
    storageEpochSec: 3_600,
    storageResponseWindowBlocks: 20,
    storageChallengerShareBps: 2_000,
  },
} as const satisfies AicPreset;
