import { AicError, isAicError } from '@aic/core';
import type { RuntimeBackend } from '@aic/model-vessel';
import type { AicNetwork, NetworkLogger, RequestHandler } from '@aic/network';
import type { HardwareChallenge } from './challenge.ts';
import {
  concatHashes,
  type HardwareChallengeRequest,
  type HardwareChallengeResponse,
  hardwareChallengeProtocol,
} from './protocol.ts';
import { revealRound, solveChallenge } from './solve.ts';

/**
 * The provider's handler of `/aic/hw-challenge/2.0.0`. It works one challenge at a time (two would slow each other
 * past their deadlines), aborts work once the challenge's own deadline has passed, and remembers each challenger's
 * last challenge for a while so that a reveal recomputes just the asked round (keeping every product would need
 * rounds × 4 MiB).
 */
export interface HardwareChallengeHandlerInit {
  backend?: RuntimeBackend;
  /** How long a challenge stays revealable after its work. Default 60 s. */
  rememberMs?: number;
  logger?: NetworkLogger;
  now?: () => number;
  /** Told when a challenge's work ends: solved, or aborted (deadline passed) after `roundsDone` rounds. */
  onWork?: (report: WorkReport) => void;
}

export interface WorkReport {
  sender: string;
  outcome: 'solved' | 'aborted';
  roundsDone: number;
  rounds: number;
  ms: number;
}

const MAX_REMEMBERED = 256;
/** Work may run this much past the deadline before it is cut (the answer is late anyway; this ends the waste). */
const DEADLINE_GRACE_MS = 100;

/** Creates the request handler (tests wrap it to play dishonest providers). */
export function createHardwareChallengeHandler(
  init: HardwareChallengeHandlerInit = {},
): RequestHandler<HardwareChallengeRequest, HardwareChallengeResponse> {
  const backend = init.backend ?? 'cpu';
  const now = init.now ?? Date.now;
  const rememberMs = init.rememberMs ?? 60_000;
  const remembered = new Map<string, { challenge: HardwareChallenge; expiresAt: number }>();
  let busy = false;

  const remember = (sender: string, challenge: HardwareChallenge) => {
    remembered.delete(sender);
    if (remembered.size >= MAX_REMEMBERED) remembered.delete(remembered.keys().next().value ?? '');
    remembered.set(sender, { challenge, expiresAt: now() + rememberMs });
  };

  return async (request, { sender, signal }) => {
    if (request.kind === 'reveal') {
      const entry = remembered.get(sender);
      if (!entry || entry.expiresAt < now() || !sameBytes(entry.challenge.seed, request.seed)) {
        throw new AicError('HARDWARE_CHALLENGE_UNKNOWN', 'no recent challenge with this seed from this peer');
      }
      return { kind: 'reveal', product: await revealRound(entry.challenge, request.round, { backend }) };
    }
    if (busy) throw new AicError('HARDWARE_CHALLENGE_BUSY', 'another challenge is being worked on');
    busy = true;
    const { challenge } = request;
    const started = now();
    const report = (outcome: WorkReport['outcome'], roundsDone: number) => {
      const work = { sender, outcome, roundsDone, rounds: challenge.rounds, ms: now() - started };
      init.logger?.debug({ ...work, n: challenge.n }, 'hw challenge work ended');
      init.onWork?.(work);
    };
    try {
      const deadline = AbortSignal.timeout(challenge.deadlineMs + DEADLINE_GRACE_MS);
      const hashes = await solveChallenge(challenge, { backend, signal: AbortSignal.any([signal, deadline]) });
      remember(sender, challenge);
      report('solved', challenge.rounds);
      return { kind: 'work', hashes: concatHashes(hashes) };
    } catch (error) {
      if (isAicError(error, 'HARDWARE_CHALLENGE_ABORTED')) report('aborted', Number(error.details.round ?? 0));
      throw error;
    } finally {
      busy = false;
    }
  };
}

/**
 * Serves hardware-class challenges on `network`.
 * @example await serveHardwareChallenges(network, { backend: 'cpu' })
 */
export async function serveHardwareChallenges(
  network: AicNetwork,
  init: HardwareChallengeHandlerInit = {},
): Promise<void> {
  await network.handle(hardwareChallengeProtocol, createHardwareChallengeHandler(init));
}

function sameBytes(x: Uint8Array, y: Uint8Array): boolean {
  return x.length === y.length && x.every((byte, i) => byte === y[i]);
}
