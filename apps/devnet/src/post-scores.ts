/**
 * The devnet's rater: reads every AIC event from the chain, computes the current epoch's Proof-of-Value scores with the
 * Contribution Rating System, and posts them to the RewardsPool. Anyone can recompute the same scores from the chain.
 * The logs include the AssetRegistry's ERC-721 `Transfer`s, so an asset's score goes to its owner at each scored event
 * (after a PLAZA sale, the buyer), the account its fees went to.
 */
import { weiToAic } from '@aic/core';
import type { LedgerClient } from '@aic/ledger';
import { createDevClients, type DevDeployment, type EmbeddedChain } from '@aic/ledger/devchain';
import { computeEpochScores, defaultRatingParams, ratingEventsFromLogs } from '@aic/rating';
import type { Address } from 'viem';

export interface PostedScores {
  epoch: number;
  /** Last block whose events were rated. */
  toBlock: bigint;
  scores: Map<string, bigint>;
}

/**
 * Computes the current epoch's scores from all chain events up to `toBlock` (default: now), as anyone can. The score
 * no verified value supports goes to `sink` (the treasury), which keeps every contributor's reward below the fees it
 * paid (the wash-trading guarantee of the rating engine).
 */
export async function computeScoresFromChain(
  ledger: LedgerClient,
  sink: Address,
  toBlock?: bigint,
): Promise<PostedScores> {
  const upTo = toBlock ?? (await ledger.publicClient.getBlockNumber());
  const logs = await ledger.fetchLedgerLogs({ fromBlock: 0n, toBlock: upTo });
  const [genesis, epochDurationSec, emissionWei] = await ledger.rewards.read.schedule();
  const epoch = Number(await ledger.rewards.read.currentEpoch());
  const events = ratingEventsFromLogs(logs, { genesis: BigInt(genesis), epochDurationSec: BigInt(epochDurationSec) });
  const contracts = Object.values(ledger.deployment.contracts).map((a) => a.toLowerCase());
  const params = defaultRatingParams(epoch, { emissionWei, hubAddresses: contracts, sinkAddress: sink.toLowerCase() });
  return { epoch, toBlock: upTo, scores: computeEpochScores(events, params) };
}

/** Posts the current epoch's scores as the devnet's rater and reports each contributor's expected share. */
export async function postEpochScores(input: {
  chain: EmbeddedChain;
  dev: DevDeployment;
  log: (line: string) => void;
}): Promise<PostedScores> {
  const rater = createDevClients(input.chain, input.dev.deployment).as(input.dev.roles.rater);
  const posted = await computeScoresFromChain(rater, input.dev.roles.treasury);
  const entries = [...posted.scores].filter(([, score]) => score > 0n);
  if (entries.length === 0) {
    input.log(`rewards: nothing to score in epoch ${posted.epoch}`);
    return posted;
  }
  await rater.confirm('postScores', () =>
    rater.rewards.write.postScores([entries.map(([a]) => a as Address), entries.map(([, s]) => s)]),
  );
  const total = entries.reduce((sum, [, s]) => sum + s, 0n);
  const [, , emissionWei] = await rater.rewards.read.schedule();
  const named = new Map<string, string>(
    Object.entries({
      requester: input.dev.roles.users[0],
      'provider 1': input.dev.roles.users[1],
      'provider 2': input.dev.roles.users[2],
      'data owner': input.dev.roles.users[3],
      'treasury (emission no verified value supports)': input.dev.roles.treasury,
    }).map(([name, a]) => [String(a).toLowerCase(), name]),
  );
  for (const [address, score] of entries) {
    const who = named.get(address) ?? address;
    input.log(
      `rewards: epoch ${posted.epoch} score ${score} for ${who} (≈ ${weiToAic((emissionWei * score) / total)} AIC when the epoch closes)`,
    );
  }
  return posted;
}
