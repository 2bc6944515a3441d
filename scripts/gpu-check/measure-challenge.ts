/**
 * The GPU check's class figures: the hardware-class challenge solved on this machine's backend, class by class from
 * the highest down, each under its own deadline (as a challenger enforces it); one round spot-checked as the
 * challenger does (hash + Freivalds). The first class met is the class this machine proves; proven TFLOPS are the
 * challenge's flops over the time taken.
 */
import { randomBytes, randomInt } from 'node:crypto';
import {
  CLASS_REQUIREMENTS,
  challengeFlops,
  checkChallengeAnswer,
  createChallenge,
  HARDWARE_CLASSES,
  type HardwareClassId,
  revealRound,
  solveChallenge,
} from '@aic/gpu-vessel';
import type { RuntimeBackend } from '@aic/model-vessel';

export interface ClassAttempt {
  class: HardwareClassId;
  passed: boolean;
  elapsedMs: number;
  deadlineMs: number;
  /** Over the rounds done (all of them when it finished). */
  provenTflops: number;
  detail: string;
}

async function attempt(backend: RuntimeBackend, claimed: HardwareClassId): Promise<ClassAttempt> {
  const challenge = createChallenge(claimed, randomBytes(32));
  const started = performance.now();
  const signal = AbortSignal.timeout(challenge.deadlineMs);
  try {
    const hashes = await solveChallenge(challenge, { backend, signal });
    const elapsedMs = performance.now() - started;
    const round = randomInt(challenge.rounds);
    const check = checkChallengeAnswer(challenge, hashes, round, await revealRound(challenge, round, { backend }));
    const provenTflops = challengeFlops(challenge) / (elapsedMs / 1000) / 1e12;
    const passed = check.ok && elapsedMs <= challenge.deadlineMs;
    return { class: claimed, passed, elapsedMs, deadlineMs: challenge.deadlineMs, provenTflops, detail: check.detail };
  } catch (error) {
    const elapsedMs = performance.now() - started;
    const done = Number((error as { details?: { round?: unknown } }).details?.round ?? 0);
    const provenTflops = (done * 2 * challenge.n ** 3) / (elapsedMs / 1000) / 1e12;
    const detail = `deadline missed after ${done} of ${challenge.rounds} rounds`;
    return { class: claimed, passed: false, elapsedMs, deadlineMs: challenge.deadlineMs, provenTflops, detail };
  }
}

/** Tries `classes` from the highest down until one passes; returns every attempt and the class proven (or null). */
export async function proveClass(
  backend: RuntimeBackend,
  classes: readonly HardwareClassId[] = [...HARDWARE_CLASSES].reverse(),
): Promise<{ provenClass: HardwareClassId | null; minTflops: number | null; attempts: ClassAttempt[] }> {
  const attempts: ClassAttempt[] = [];
  for (const claimed of classes) {
    const result = await attempt(backend, claimed);
    attempts.push(result);
    if (result.passed) return { provenClass: claimed, minTflops: CLASS_REQUIREMENTS[claimed].minTflopsFp32, attempts };
  }
  return { provenClass: null, minTflops: null, attempts };
}
