/**
 * One account's Proof-of-Value rewards per epoch (pure), from its ScoreRecorded / ScorePenalized events and the
 * RewardsPool's epoch records. Scores are recorded when an ended epoch's score set is applied (after its challenge
 * window), which fixes the epoch's rate at once, so a recorded epoch is final and a claim pays `claimable` exactly.
 * A penalty (ScorePenalized, AIC wei) is clawed back from the account's unclaimed rewards when its epoch is applied.
 */
import type { ChainEvent } from './chain-events.ts';
import { lower, text, wei } from './chain-facts.ts';

const PRECISION = 10n ** 18n;

export interface EpochRecord {
  totalScore: bigint;
  /** 0 until the epoch's scores are applied. */
  rewardPerScore: bigint;
  emission: bigint;
}

export interface RewardsChainState {
  currentEpoch: number;
  emissionPerEpochWei: bigint;
  /** RewardsPool.available(): AIC future epochs can still release. */
  availableWei: bigint;
  /** RewardsPool.claimable(address): owed now. */
  claimableWei: bigint;
  /** RewardsPool.accountOf(address): the score of the last epoch that credited it. */
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
  /** What the epoch's rate paid this score, less the penalties applied with it (never below zero). */
  rewardWei: bigint;
}

export interface RewardsView {
  epochs: EpochReward[];
  claimedWei: bigint;
  /** What a claim sent now pays. */
  claimNowWei: bigint;
}

export function rewardsView(events: readonly ChainEvent[], address: string, chain: RewardsChainState): RewardsView {
  const me = address.toLowerCase();
  const scores = new Map<number, bigint>();
  const penalties = new Map<number, bigint>();
  let claimedWei = 0n;
  for (const e of events) {
    if (e.contract !== 'RewardsPool') continue;
    if (e.event === 'RewardClaimed' && lower(e, 'contributor') === me) claimedWei += wei(e, 'amount');
    if (e.event === 'ScoreRecorded' && lower(e, 'contributor') === me)
      add(scores, Number(text(e, 'epoch')), wei(e, 'score'));
    if (e.event === 'ScorePenalized' && lower(e, 'contributor') === me) {
      add(penalties, Number(text(e, 'epoch')), wei(e, 'amount'));
      if (!scores.has(Number(text(e, 'epoch')))) scores.set(Number(text(e, 'epoch')), 0n);
    }
  }
  const epochs = [...scores]
    .sort(([a], [b]) => a - b)
    .map(([epoch, score]): EpochReward => {
      const record = chain.epochs.get(epoch) ?? { totalScore: 0n, rewardPerScore: 0n, emission: 0n };
      const applied = record.rewardPerScore > 0n || record.emission > 0n || record.totalScore > 0n;
      const status: EpochStatus = applied ? 'finalized' : epoch >= chain.currentEpoch ? 'open' : 'ended';
      const reward = (score * record.rewardPerScore) / PRECISION - (penalties.get(epoch) ?? 0n);
      return { epoch, score, totalScore: record.totalScore, status, rewardWei: reward > 0n ? reward : 0n };
    });
  return { epochs, claimedWei, claimNowWei: chain.claimableWei };
}

function add(map: Map<number, bigint>, key: number, value: bigint): void {
  map.set(key, (map.get(key) ?? 0n) + value);
}
