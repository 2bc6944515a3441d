/**
 * An ended epoch's Proof-of-Value score set, recomputed from the chain's events (pure engine, @aic/rating): what a
 * rater proposes and what every other rater checks a proposal against. Anyone holding the chain gets the same set:
 * the events of an ended epoch never change, and later events are ignored by the engine.
 */
import type { LedgerClient } from '@aic/ledger';
import {
  defaultRatingParams,
  type EpochRating,
  rateEpoch,
  ratingEventsFromLogs,
  type ScoreSet,
  scoreSetOf,
} from '@aic/rating';

export interface EpochScoreSet {
  epoch: number;
  rating: EpochRating;
  set: ScoreSet;
}

/** Rates `epoch` (which must have ended) from every AIC event on the chain. */
export async function scoreSetFromChain(ledger: LedgerClient, epoch: number): Promise<EpochScoreSet> {
  const logs = await ledger.fetchLedgerLogs({ fromBlock: 0n });
  const [genesis, epochDurationSec, emissionWei] = await ledger.rewards.read.schedule();
  const events = ratingEventsFromLogs(logs, { genesis: BigInt(genesis), epochDurationSec: BigInt(epochDurationSec) });
  // The protocol's contracts are hubs of the money graph (everyone pays them), not links between their users.
  const hubAddresses = Object.values(ledger.deployment.contracts).map((a) => a.toLowerCase());
  const rating = rateEpoch(events, defaultRatingParams(epoch, { emissionWei, hubAddresses }));
  return { epoch, rating, set: scoreSetOf(rating) };
}
