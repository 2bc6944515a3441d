import { AicError } from '@aic/core';
import { HardwareClass } from '@aic/ledger';
import { CLASS_REQUIREMENTS, type HardwareClassId, isHardwareClass } from '../hardware/descriptor.ts';
import { MAX_CHALLENGE_N } from './matrices.ts';

/**
 * A hardware-class challenge: `rounds` exact integer n×n matrix products drawn from a fresh seed, to be hashed and
 * returned before `deadlineMs`. Sizing: the work (rounds·2n³ flops) takes `targetSeconds` at the claimed class's
 * minimum rate; the deadline is that time × `slack` + `latencyMs` (network, scheduling, warm-up). A device slower
 * than the class by more than the slack cannot meet it except by making answers up, which the spot check catches.
 */
export interface HardwareChallenge {
  /** 32 fresh random bytes from the challenger: nothing can be precomputed. */
  seed: Uint8Array;
  claimedClass: HardwareClassId;
  n: number;
  rounds: number;
  deadlineMs: number;
}

export interface ChallengeSizing {
  /** Time the work takes at exactly the class's minimum rate. Default 0.5 s. */
  targetSeconds?: number;
  /** Deadline multiplier over that time. Default 2. */
  slack?: number;
  /** Fixed allowance on top (round trip, scheduling, backend warm-up). Default 1000 ms. */
  latencyMs?: number;
  /** Matrix side (default per class: 128 for Cpu, 1024 for GPU classes). */
  n?: number;
}

export const CHALLENGE_DEFAULTS = { targetSeconds: 0.5, slack: 2, latencyMs: 1_000 } as const;
/** Bounds a provider accepts (and a challenger never exceeds): 512 KiB of hashes, one minute of work. */
export const CHALLENGE_LIMITS = { maxRounds: 16_384, maxDeadlineMs: 60_000 } as const;

/** Matrix side per class: small for Cpu (tfjs cpu does ~1 GFLOPS), the maximum for GPUs (less hashing per flop). */
export const CLASS_MATRIX_N: Readonly<Record<HardwareClassId, number>> = {
  [HardwareClass.Cpu]: 128,
  [HardwareClass.ConsumerGpu]: MAX_CHALLENGE_N,
  [HardwareClass.WorkstationGpu]: MAX_CHALLENGE_N,
  [HardwareClass.DatacenterGpu]: MAX_CHALLENGE_N,
  [HardwareClass.MultiGpu]: MAX_CHALLENGE_N,
};

/**
 * Sizes a challenge for `claimedClass` from a fresh 32-byte seed. Pure.
 * @example createChallenge(HardwareClass.Cpu, randomBytes(32)) // { n: 128, rounds: 24, deadlineMs: 2001, … }
 */
export function createChallenge(
  claimedClass: HardwareClassId,
  seed: Uint8Array,
  options: ChallengeSizing = {},
): HardwareChallenge {
  if (!isHardwareClass(claimedClass)) throw invalidChallenge('unknown hardware class', { claimedClass });
  if (seed.length !== 32) throw invalidChallenge('seed must be 32 bytes', { length: seed.length });
  const n = options.n ?? CLASS_MATRIX_N[claimedClass];
  if (!Number.isInteger(n) || n < 1 || n > MAX_CHALLENGE_N) throw invalidChallenge('n out of range', { n });
  const { targetSeconds, slack, latencyMs } = { ...CHALLENGE_DEFAULTS, ...options };
  const flopsPerRound = 2 * n ** 3;
  const minFlopsPerSecond = CLASS_REQUIREMENTS[claimedClass].minTflopsFp32 * 1e12;
  const rounds = Math.max(1, Math.ceil((targetSeconds * minFlopsPerSecond) / flopsPerRound));
  const expectedMs = ((rounds * flopsPerRound) / minFlopsPerSecond) * 1000;
  const deadlineMs = Math.ceil(expectedMs * slack + latencyMs);
  if (rounds > CHALLENGE_LIMITS.maxRounds || deadlineMs > CHALLENGE_LIMITS.maxDeadlineMs) {
    throw invalidChallenge('challenge too large', { rounds, deadlineMs });
  }
  return { seed: Uint8Array.from(seed), claimedClass, n, rounds, deadlineMs };
}

/** Floating-point operations of the whole challenge. */
export function challengeFlops(challenge: Pick<HardwareChallenge, 'n' | 'rounds'>): number {
  return challenge.rounds * 2 * challenge.n ** 3;
}

function invalidChallenge(message: string, details: Record<string, unknown>): AicError {
  return new AicError('HARDWARE_CHALLENGE_INVALID', message, { details });
}
