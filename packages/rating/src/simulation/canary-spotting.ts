/**
 * The canary-spotting study (issue 15): a verifier that tries to recognise canaries by what it can see of a job —
 * its parameters (budget, verifier fee, segments, deadline), its timing (the gap since the previous job) and its
 * payer's history (a first transaction? how long since the account was funded?) — re-runs only the jobs it flags and
 * approves the rest unseen. It learns from the market's history: every job's features are public, and which ones
 * were canaries becomes public once their disputes resolve.
 *
 * The canaries are drawn as the coordinator draws them (packages/gpu-vessel/src/agent/canary-terms.ts,
 * fresh-payers.ts): parameters copied from a recent real job, issue times a Poisson process (so in the merged stream
 * a job's gap says nothing of its kind), a fresh payer. How payers are funded is the `PaymentModel`:
 * - `FRESH_PAYERS` (the running system since issue 15): every requester node pays each job from a fresh account of
 *   its own, funded a random lead of blocks before the escrow, drawn as for a canary's payer (PAYER_LEAD);
 * - `SHARED_PAYERS_BEFORE` (before): real jobs came from their requesters' accounts (fresh for the 10 % that are new
 *   wallets' first jobs, else accounts with a long history), a canary's payer was funded one canary interval before.
 * `walletPaidShare` of real jobs are escrowed by a browser wallet itself (issue 14's path), not through a node's fresh
 * account: paid as before.
 *
 * The classifier is naive Bayes over decile bins learned on the history; it flags the `checkShare` of jobs that
 * look most like canaries. Its detection rate (canaries flagged) against the flagged share (the base rate) says
 * whether the features carry a signal.
 */
import type { Attack, AttackContext } from './attack.ts';
import { feeOf, randomFor } from './economy.ts';
import { VERIFICATION } from './verifiers.ts';

export type FeatureSet = 'parameters-and-timing' | 'payer-history';

interface JobView {
  canary: boolean;
  /** parameters-and-timing */
  budgetAic: number;
  feeAic: number;
  segments: number;
  deadlineSec: number;
  gapSec: number;
  /** payer-history */
  payerFresh: number;
  payerAgeBlocks: number;
}

const FEATURES: Record<FeatureSet, (keyof JobView)[]> = {
  'parameters-and-timing': ['budgetAic', 'feeAic', 'segments', 'deadlineSec', 'gapSec'],
  'payer-history': ['payerFresh', 'payerAgeBlocks'],
};

export const SPOTTING = {
  /** Jobs on the market per epoch (all public), of which the verifier is drawn for 15–25. */
  marketJobsPerEpoch: 400,
  /** Mean gap between real jobs and between canaries (s): two Poisson streams. */
  realMeanGapSec: 36,
  canaryMeanGapSec: 36 / VERIFICATION.canaryShare,
  /** Blocks per second of the chain (the devnet's 0.5 s blocks). */
  blocksPerSec: 2,
  /** Real jobs a canary copies its parameters from (the newest). */
  recentJobs: 8,
} as const;

/** How jobs' payers are funded (see the module comment). */
export interface PaymentModel {
  /** Real jobs a requester node pays from a fresh account funded a PAYER_LEAD draw before. */
  nodePaidShare: number;
  /** The funding age of a canary's payer: a PAYER_LEAD draw, or one canary interval (before issue 15's payers). */
  canaryFunding: 'payer-lead' | 'canary-interval';
}

/** The running system: every job a node escrows, a canary as much as a real one, from a fresh funded account. */
export const FRESH_PAYERS: PaymentModel = { nodePaidShare: 1, canaryFunding: 'payer-lead' };
/** Before: real jobs from their requesters' own accounts, canaries' payers funded one canary interval before. */
export const SHARED_PAYERS_BEFORE: PaymentModel = { nodePaidShare: 0, canaryFunding: 'canary-interval' };

/**
 * The blocks between a fresh payer's funding and its escrow, as packages/gpu-vessel/src/agent/fresh-payers.ts draws
 * them (PAYER_LEAD: 3 + an exponential of mean 4 capped at 20), for canaries and real jobs alike.
 */
function payerLeadBlocks(next: () => number): number {
  return 3 + Math.min(20, Math.floor(-Math.log(1 - next()) * 4));
}

/** One epoch of the public market, in arrival order (identical across worlds: the counterfactual shares it). */
export function marketEpoch(
  seed: bigint,
  epoch: number,
  payment: PaymentModel = FRESH_PAYERS,
  walletPaidShare = 0,
): JobView[] {
  const rng = randomFor(seed, 'canary-market', epoch);
  const exp = (mean: number) => -Math.log(1 - rng.next()) * mean;
  const jobs: JobView[] = [];
  const recent: JobView[] = [];
  let realAt = exp(SPOTTING.realMeanGapSec);
  let canaryAt = exp(SPOTTING.canaryMeanGapSec);
  let lastAt = 0;
  while (jobs.length < SPOTTING.marketJobsPerEpoch) {
    const canary = canaryAt < realAt;
    const at = canary ? canaryAt : realAt;
    const gapSec = at - lastAt;
    lastAt = at;
    let job: JobView;
    if (canary && recent.length > 0) {
      const like = recent[Math.floor(rng.next() * recent.length)]!;
      const ageBlocks =
        payment.canaryFunding === 'payer-lead'
          ? payerLeadBlocks(() => rng.next())
          : // Before: the payer was funded when the previous canary was issued, one canary interval earlier.
            exp(SPOTTING.canaryMeanGapSec) * SPOTTING.blocksPerSec;
      job = { ...like, canary: true, gapSec, payerFresh: 1, payerAgeBlocks: ageBlocks };
    } else {
      const byNode = !rng.chance(walletPaidShare) && rng.chance(payment.nodePaidShare);
      const fresh = byNode || rng.chance(REAL_FRESH_PAYER_SHARE_TODAY);
      job = {
        canary: false,
        budgetAic: 50 + rng.next() * 100,
        feeAic: [1, 2, 2, 3][rng.int(0, 3)]!,
        segments: rng.int(5, 100),
        deadlineSec: [1_800, 3_600, 3_600, 7_200][rng.int(0, 3)]!,
        gapSec,
        payerFresh: fresh ? 1 : 0,
        // A node's fresh payer escrows a lead of blocks after its funding; a new wallet soon after it bought AIC; an
        // old one was funded long ago.
        payerAgeBlocks: byNode
          ? payerLeadBlocks(() => rng.next())
          : fresh
            ? exp(600) * SPOTTING.blocksPerSec
            : 10_000 + rng.next() * 1_000_000,
      };
      recent.push(job);
      if (recent.length > SPOTTING.recentJobs) recent.shift();
    }
    jobs.push(job);
    if (canary) canaryAt = at + exp(SPOTTING.canaryMeanGapSec);
    else realAt = at + exp(SPOTTING.realMeanGapSec);
  }
  return jobs;
}

/** Naive Bayes over decile bins of each feature, trained on labelled jobs; scores = log-likelihood ratio. */
export function trainSpotter(history: readonly JobView[], features: readonly (keyof JobView)[]) {
  const models = features.map((f) => {
    const values = history.map((j) => Number(j[f])).sort((a, b) => a - b);
    const edges = Array.from({ length: 9 }, (_, i) => values[Math.floor(((i + 1) * values.length) / 10)] ?? 0);
    const bin = (v: number) => edges.filter((e) => v > e).length;
    const canary = new Array(10).fill(1);
    const real = new Array(10).fill(1);
    for (const j of history) (j.canary ? canary : real)[bin(Number(j[f]))]++;
    const nc = canary.reduce((a, b) => a + b, 0);
    const nr = real.reduce((a, b) => a + b, 0);
    return (j: JobView) => {
      const b = bin(Number(j[f]));
      return Math.log(canary[b]! / nc) - Math.log(real[b]! / nr);
    };
  });
  return (j: JobView) => models.reduce((sum, m) => sum + m(j), 0);
}

/** The score above which `share` of `jobs` lie (flag those). */
function thresholdFor(scores: number[], share: number): number {
  const sorted = [...scores].sort((a, b) => b - a);
  return sorted[Math.min(sorted.length - 1, Math.floor(share * sorted.length))] ?? 0;
}

export interface SpottingStats {
  canaries: number;
  caughtByCheck: number;
  checked: number;
  jobs: number;
}

/**
 * A canary-spotting verifier: re-runs the `checkShare` of its drawn jobs that look most like canaries to a spotter
 * trained on every earlier epoch's market (features `features`), approves the rest unseen; a canary it approved
 * is proven wrong (slashed, unpaid). `stats` collects its detection rate for the report.
 */
export function createCanarySpotter(
  features: FeatureSet,
  checkShare: number,
  payment: PaymentModel = FRESH_PAYERS,
  stats?: SpottingStats,
  walletPaidShare = 0,
): Attack {
  const verifier = `0xattacker-canary-spotter-${features}-${checkShare}`;
  const history: JobView[] = [];
  const verifyCost = feeOf(VERIFICATION.verifierFeeWei, VERIFICATION.verifyCostBps);
  const slash = feeOf(VERIFICATION.verifierStakeWei, VERIFICATION.verifierSlashBps);
  return {
    name: `canary-spotting verifier (${features}, checks ${checkShare * 100} %)`,
    addresses: [verifier],
    setup() {
      history.length = 0;
    },
    runEpoch({ seed, log, malicious }: AttackContext) {
      const market = marketEpoch(seed, log.epoch, payment, walletPaidShare);
      const rng = randomFor(seed, verifier, log.epoch);
      const drawn = Array.from({ length: rng.int(15, 25) }, () => market[rng.int(0, market.length - 1)]!);
      const score = history.length > 0 ? trainSpotter(history, FEATURES[features]) : () => rng.next();
      const threshold = thresholdFor(market.map(score), checkShare);
      // Detection is measured over the whole market (hundreds of canaries), profit over the jobs it was drawn for.
      if (malicious && stats && log.epoch > 1) {
        for (const job of market) {
          const flagged = score(job) > threshold;
          stats.jobs++;
          if (flagged) stats.checked++;
          if (job.canary) stats.canaries++;
          if (job.canary && flagged) stats.caughtByCheck++;
        }
      }
      let net = 0n;
      for (const job of drawn) {
        const checks = !malicious || score(job) > threshold;
        if (checks) net += VERIFICATION.verifierFeeWei - verifyCost;
        else if (job.canary) net -= slash;
        else net += VERIFICATION.verifierFeeWei;
      }
      // It learns from the recent market (a bounded window keeps the study fast; more data adds no signal).
      history.push(...market);
      if (history.length > HISTORY_JOBS) history.splice(0, history.length - HISTORY_JOBS);
      return net;
    },
  };
}

/** Labelled jobs the spotter trains on (the newest). */
const HISTORY_JOBS = 2_000;

/** The check shares a spotter may choose; the simulation reports its best. */
export const SPOTTER_CHECK_SHARES = [0.25, 0.5, 0.75, 0.9] as const;

/** Share of the real jobs not paid through a node's fresh account that come from a fresh wallet anyway (new wallets'
 * first jobs: an assumption, stated). */
export const REAL_FRESH_PAYER_SHARE_TODAY = 0.1;
