/**
 * What a canary looks like to a verifier (issue 15: canaries nobody can tell apart): its dataset and model, budget,
 * verifier fee, deadline and number of segments are copied from a recent real job picked at random (read from the
 * chain), and it
 * is issued at exponentially distributed times (a Poisson process: the time since the last canary says nothing about
 * the next). Pure helpers plus one chain read.
 */
import { HardwareClass, type LedgerClient } from '@aic/ledger';

/** The on-chain terms of a job a verifier can see. */
export interface VisibleJobTerms {
  /** Its Dataset and Model NFTs (absent in the fallback: the canary trains the coordinator's own canary assets). */
  assets?: { datasetId: bigint; modelId: bigint };
  providerPriceWei: bigint;
  verifierFeeWei: bigint;
  checkpointCount: number;
  deadlineSec: number;
}

export interface CanaryTerms {
  epochs: number;
  commitEverySteps: number;
  providerBudgetWei: bigint;
  verifierFeeWei: bigint;
  deadlineSec: number;
}

/** Terms when no real job is known yet (a fresh network): the preset's small job. */
export const FALLBACK_TERMS: VisibleJobTerms = {
  providerPriceWei: 10n ** 18n,
  verifierFeeWei: 10n ** 18n,
  checkpointCount: 20,
  deadlineSec: 3_600,
};

/** Longest canary run (epochs of the canary's dataset): a canary must stay cheap to train. */
const MAX_EPOCHS = 25;
const MAX_COMMIT_EVERY = 32;

/** A recent real job to look like, picked at random (the fallback on a network with none yet). */
export function pickJobToMimic(recent: readonly VisibleJobTerms[], random: () => number): VisibleJobTerms {
  return recent.length > 0 ? recent[Math.floor(random() * recent.length)]! : FALLBACK_TERMS;
}

/**
 * Canary terms like `like`: the same budget, fee and deadline, and the epochs × commit interval (on a dataset of
 * `stepsPerEpoch` steps) whose segment count is closest to the real job's.
 */
export function canaryTermsLike(like: VisibleJobTerms, stepsPerEpoch: number): CanaryTerms {
  let best = { epochs: 1, commitEverySteps: 1, miss: Number.POSITIVE_INFINITY };
  for (let epochs = 1; epochs <= MAX_EPOCHS; epochs++) {
    for (let k = 1; k <= MAX_COMMIT_EVERY; k++) {
      const miss = Math.abs(Math.ceil((epochs * stepsPerEpoch) / k) - like.checkpointCount);
      // Ties go to fewer epochs (cheaper), then to the smaller commit interval.
      if (miss < best.miss) best = { epochs, commitEverySteps: k, miss };
    }
  }
  return {
    epochs: best.epochs,
    commitEverySteps: best.commitEverySteps,
    providerBudgetWei: like.providerPriceWei,
    verifierFeeWei: like.verifierFeeWei,
    deadlineSec: like.deadlineSec,
  };
}

/** The wait before the next canary: exponential with mean `meanMs` (`u` uniform in [0, 1)). */
export function nextCanaryDelayMs(meanMs: number, u: number): number {
  return Math.round(-Math.log(1 - u) * meanMs);
}

/** How far back real jobs are read, and how many of the newest are kept. */
const LOOKBACK_BLOCKS = 20_000n;
const RECENT_JOBS = 8;

/**
 * The visible terms of the newest real jobs a CPU can run (the canary runs on the coordinator's CPU), skipping
 * the jobs of `isOwn` requesters (earlier canaries).
 */
export async function recentJobTerms(
  ledger: LedgerClient,
  isOwn: (requester: string) => boolean,
): Promise<VisibleJobTerms[]> {
  const { publicClient, market } = ledger;
  const head = await publicClient.getBlockNumber();
  const created = await market.getEvents.JobCreated(
    {},
    { fromBlock: head > LOOKBACK_BLOCKS ? head - LOOKBACK_BLOCKS : 0n, toBlock: head },
  );
  const real = created.filter((e) => e.args.requester && !isOwn(e.args.requester)).slice(-RECENT_JOBS);
  const terms: VisibleJobTerms[] = [];
  for (const e of real) {
    if (e.args.jobId === undefined) continue;
    const [job, block] = await Promise.all([
      market.read.jobOf([e.args.jobId]),
      publicClient.getBlock({ blockNumber: e.blockNumber }),
    ]);
    if (job.minHwClass !== HardwareClass.Cpu) continue;
    terms.push({
      assets: { datasetId: BigInt(job.datasetId), modelId: BigInt(job.modelId) },
      providerPriceWei: job.providerPrice,
      verifierFeeWei: job.verifierFee,
      checkpointCount: job.checkpointCount,
      deadlineSec: Math.max(600, job.deadline - Number(block.timestamp)),
    });
  }
  return terms;
}
