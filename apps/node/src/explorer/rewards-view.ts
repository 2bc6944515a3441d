/**
 * One account's Proof-of-Value rewards per epoch (pure), from its ScoreRecorded / ScorePenalized events and the
 * RewardsPool's epoch records. An ended epoch that nobody finalized yet is finalized by the next claim: its reward is
 * computed here with the contract's own arithmetic (RewardsPool._finalize: rate = min(emission, free) · 1e18 / total,
 * epochs in order, each one's payout leaving the pool's free AIC), so the amount shown is the amount a claim pays.
 */
import type { ChainEvent } from './chain-events.ts';
import { lower, text, wei } from './chain-facts.ts';

const PRECISION = 10n ** 18n;

export interface EpochRecord {
  totalScore: bigint;
  /** 0 until the epoch is finalized. */
  rewardPerScore: bigint;
  emission: bigint;
}

export interface RewardsChainState {
  currentEpoch: number;
  emissionPerEpochWei: bigint;
  /** RewardsPool.available(): AIC future epochs can still release. */
  availableWei: bigint;
  /** RewardsPool.claimable(address): owed now from finalized epochs. */
  claimableWei: bigint;
  /** RewardsPool.accountOf(address): the unconverted score and its epoch. */
  account: { score: bigint; epoch: number };
  /** The records of every epoch that has a score (any contributor's), by epoch. */
  epochs: ReadonlyMap<number, EpochRecord>;
}

export type EpochStatus = 'open' | 'ended' | 'finalized';

export interface EpochReward {
  epoch: number;
  score: bigint;
  totalScore: bigint;
  status: EpochStatus;
  /** Finalized: what the epoch's rate pays this score; ended: what finalizing it will pay; open: a projection. */
  rewardWei: bigint;
}

export interface RewardsView {
  epochs: EpochReward[];
  claimedWei: bigint;
  /** What a claim sent now pays (the finalization it triggers included). */
  claimNowWei: bigint;
}

export function rewardsView(events: readonly ChainEvent[], address: string, chain: RewardsChainState): RewardsView {
  const me = address.toLowerCase();
  const scores = new Map<number, bigint>();
  let claimedWei = 0n;
  for (const e of events) {
    if (e.contract !== 'RewardsPool') continue;
    if (e.event === 'RewardClaimed' && lower(e, 'contributor') === me) claimedWei += wei(e, 'amount');
    if ((e.event === 'ScoreRecorded' || e.event === 'ScorePenalized') && lower(e, 'contributor') === me) {
      const epoch = Number(text(e, 'epoch'));
      const delta = e.event === 'ScoreRecorded' ? wei(e, 'score') : -wei(e, 'amount');
      scores.set(epoch, (scores.get(epoch) ?? 0n) + delta);
    }
  }
  const pendingRates = simulatedRates(chain);
  const epochs = [...scores]
    .sort(([a], [b]) => a - b)
    .map(([epoch, score]): EpochReward => {
      const record = chain.epochs.get(epoch) ?? { totalScore: 0n, rewardPerScore: 0n, emission: 0n };
      const status: EpochStatus =
        epoch >= chain.currentEpoch
          ? 'open'
          : record.rewardPerScore > 0n || record.emission > 0n
            ? 'finalized'
            : 'ended';
      const rate =
        status === 'finalized'
          ? record.rewardPerScore
          : status === 'ended'
            ? (pendingRates.get(epoch) ?? 0n)
            : record.totalScore === 0n
              ? 0n
              : (chain.emissionPerEpochWei * PRECISION) / record.totalScore;
      return { epoch, score, totalScore: record.totalScore, status, rewardWei: (score * rate) / PRECISION };
    });
  // A claim finalizes ended epochs, then converts the account's one unconverted score if its epoch has ended.
  const { score, epoch } = chain.account;
  const unfinalizedEnded = epoch < chain.currentEpoch && (chain.epochs.get(epoch)?.rewardPerScore ?? 0n) === 0n;
  const extra = unfinalizedEnded ? (score * (pendingRates.get(epoch) ?? 0n)) / PRECISION : 0n;
  return { epochs, claimedWei, claimNowWei: chain.claimableWei + extra };
}

/** The rates finalization will give the ended, unfinalized epochs, in order (RewardsPool._finalize). */
function simulatedRates(chain: RewardsChainState): Map<number, bigint> {
  const rates = new Map<number, bigint>();
  let free = chain.availableWei;
  const ended = [...chain.epochs]
    .filter(
      ([epoch, r]) => epoch < chain.currentEpoch && r.totalScore > 0n && r.rewardPerScore === 0n && r.emission === 0n,
    )
    .sort(([a], [b]) => a - b);
  for (const [epoch, record] of ended) {
    // biome-ignore lint/complexity/useMathMinMax: bigints (Math.min takes numbers)
    const budget = chain.emissionPerEpochWei < free ? chain.emissionPerEpochWei : free;
    const rate = (budget * PRECISION) / record.totalScore;
    free -= (rate * record.totalScore) / PRECISION;
    rates.set(epoch, rate);
  }
  return rates;
}
