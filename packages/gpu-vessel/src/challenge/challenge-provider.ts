import { randomBytes, randomInt } from 'node:crypto';
import { isAicError } from '@aic/core';
import type { AicNetwork } from '@aic/network';
import type { HardwareClassId } from '../hardware/descriptor.ts';
import { type ChallengeSizing, createChallenge, type HardwareChallenge } from './challenge.ts';
import { type CheckReason, checkChallengeAnswer } from './check.ts';
import { hardwareChallengeProtocol, splitHashes } from './protocol.ts';

/**
 * The challenger's side: before a provider's claimed class counts, send it a fresh challenge sized to that class,
 * enforce the deadline here (a late answer fails even if it is right), then draw one round AFTER the hashes arrived,
 * ask for that product and check it (hash + Freivalds). Every failure is a result with a reason, never a throw, so
 * the caller can cost the provider reputation.
 */
export type ChallengeFailure = Exclude<CheckReason, 'ok'> | 'deadline-missed' | 'peer-error';

/** A PeerId, its string form, or a multiaddr (what `AicNetwork.request` dials). */
export type ChallengedPeer = Parameters<AicNetwork['request']>[0];

export interface ChallengeOutcome {
  passed: boolean;
  reason: 'passed' | ChallengeFailure;
  /** One line for logs (no payloads). */
  detail: string;
  /** Time from sending the work to receiving the hashes. */
  elapsedMs: number;
  class: HardwareClassId;
  challenge: HardwareChallenge;
  /** The spot-checked round, once drawn. */
  round?: number;
}

export interface ChallengeProviderOptions {
  /** 32 fresh random bytes (default: crypto). */
  seed?: Uint8Array;
  sizing?: ChallengeSizing;
  now?: () => number;
  /** Draws the spot-checked round in [0, rounds) (default: crypto). */
  pickRound?: (rounds: number) => number;
  /** Time allowed for the reveal (one recomputed round plus ≤ 4 MiB). Default 30 s. */
  revealTimeoutMs?: number;
}

/**
 * Challenges `peer`'s claim to `claimedClass`. The deadline runs from sending the work, dial included (connect
 * first). Resolves to an outcome for every provider behaviour; throws HARDWARE_CHALLENGE_INVALID only for a bad
 * class, seed or sizing (a caller bug).
 * @example const outcome = await challengeProvider(network, providerPeerId, HardwareClass.DatacenterGpu)
 * if (!outcome.passed) penalize(provider, outcome.reason)
 */
export async function challengeProvider(
  network: AicNetwork,
  peer: ChallengedPeer,
  claimedClass: HardwareClassId,
  options: ChallengeProviderOptions = {},
): Promise<ChallengeOutcome> {
  const now = options.now ?? Date.now;
  const challenge = createChallenge(claimedClass, options.seed ?? randomBytes(32), options.sizing);
  const outcome = (reason: ChallengeOutcome['reason'], detail: string, elapsedMs: number, round?: number) => ({
    passed: reason === 'passed',
    reason,
    detail,
    elapsedMs,
    class: claimedClass,
    challenge,
    ...(round === undefined ? {} : { round }),
  });

  const started = now();
  let hashes: Uint8Array[];
  try {
    const answer = await network.request(
      peer,
      hardwareChallengeProtocol,
      { kind: 'work', challenge },
      {
        timeoutMs: challenge.deadlineMs,
      },
    );
    if (answer.kind !== 'work') return outcome('malformed-answer', 'work answered with a reveal', now() - started);
    hashes = splitHashes(answer.hashes);
  } catch (error) {
    const elapsedMs = now() - started;
    if (elapsedMs >= challenge.deadlineMs || isAicError(error, 'NETWORK_REQUEST_TIMEOUT')) {
      return outcome('deadline-missed', `no answer within ${challenge.deadlineMs} ms`, elapsedMs);
    }
    return outcome('peer-error', `work failed: ${errorLine(error)}`, elapsedMs);
  }
  const elapsedMs = now() - started;
  if (elapsedMs > challenge.deadlineMs) {
    return outcome('deadline-missed', `answered after ${elapsedMs} ms, deadline ${challenge.deadlineMs} ms`, elapsedMs);
  }
  if (hashes.length !== challenge.rounds) {
    return outcome('malformed-answer', `${hashes.length} hashes for ${challenge.rounds} rounds`, elapsedMs);
  }

  // Drawn only now: the provider committed to every round before learning which one is checked.
  const round = (options.pickRound ?? randomInt)(challenge.rounds);
  let product: Uint8Array;
  try {
    const answer = await network.request(
      peer,
      hardwareChallengeProtocol,
      { kind: 'reveal', seed: challenge.seed, round },
      {
        timeoutMs: options.revealTimeoutMs ?? 30_000,
      },
    );
    if (answer.kind !== 'reveal') return outcome('malformed-answer', 'reveal answered with work', elapsedMs, round);
    product = answer.product;
  } catch (error) {
    return outcome('peer-error', `reveal failed: ${errorLine(error)}`, elapsedMs, round);
  }
  const check = checkChallengeAnswer(challenge, hashes, round, product);
  return outcome(check.reason === 'ok' ? 'passed' : check.reason, check.detail, elapsedMs, round);
}

function errorLine(error: unknown): string {
  if (!isAicError(error)) return error instanceof Error ? error.name : 'unknown error';
  const remote = error.details.code;
  return typeof remote === 'string' ? `${error.code} (${remote})` : error.code;
}
