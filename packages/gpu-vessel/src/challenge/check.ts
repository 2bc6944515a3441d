import { getRandomValues } from 'node:crypto';
import type { HardwareChallenge } from './challenge.ts';
import { challengeMatrix, HASH_BYTES, hashProduct, productFromBytes, roundOperands } from './matrices.ts';

/**
 * The challenger's check of one revealed round, in O(n²): the revealed product must hash to the committed hash (so it
 * was fixed before the round was chosen) AND be the true product, by Freivalds' check A(Bx) = Cx for random integer
 * vectors x. Everything is exact integer arithmetic in doubles: |Bx| ≤ n·8·2^20 and |A(Bx)|, |Cx| ≤ 2^46 < 2^53 for
 * n ≤ 1024. A wrong C passes one repetition with probability ≤ 2^-20 (x drawn from 2^20 values per entry).
 */
export const FREIVALDS_REPETITIONS = 2;
const X_BITS = 20;

export type CheckReason = 'ok' | 'malformed-answer' | 'hash-mismatch' | 'freivalds-failed';

export interface CheckResult {
  ok: boolean;
  reason: CheckReason;
  detail: string;
}

export interface CheckOptions {
  /** Fills `out` with the challenger's own random words (default: crypto). Tests pass a fixed source. */
  random?: (out: Uint32Array) => void;
  repetitions?: number;
}

/**
 * Checks round `round` of `challenge`: `hashes` (one 32-byte hash per round, committed before `round` was drawn) and
 * the revealed `productBytes` (little-endian int32, n² entries).
 * @example checkChallengeAnswer(challenge, hashes, 3, await revealRound(challenge, 3)) // { ok: true, reason: 'ok', … }
 */
export function checkChallengeAnswer(
  challenge: HardwareChallenge,
  hashes: readonly Uint8Array[],
  round: number,
  productBytes: Uint8Array,
  options: CheckOptions = {},
): CheckResult {
  const { n, rounds, seed } = challenge;
  const committed = hashes[round];
  if (hashes.length !== rounds || committed === undefined || committed.length !== HASH_BYTES) {
    return fail('malformed-answer', `expected ${rounds} hashes of ${HASH_BYTES} bytes and round ${round} among them`);
  }
  if (productBytes.length !== n * n * 4) return fail('malformed-answer', `product must be ${n * n * 4} bytes`);
  if (!equalBytes(hashProduct(productBytes, n), committed)) {
    return fail('hash-mismatch', `revealed product of round ${round} does not match its committed hash`);
  }
  const { left, right } = roundOperands(rounds, round);
  const a = challengeMatrix(seed, 'left', left, n);
  const b = challengeMatrix(seed, 'right', right, n);
  const c = productFromBytes(productBytes);
  const random = options.random ?? ((out: Uint32Array) => getRandomValues(out));
  for (let rep = 0; rep < (options.repetitions ?? FREIVALDS_REPETITIONS); rep++) {
    const x = new Uint32Array(n);
    random(x);
    for (let i = 0; i < n; i++) x[i] = (x[i] ?? 0) >>> (32 - X_BITS);
    if (!freivaldsHolds(a, b, c, x, n)) {
      return fail('freivalds-failed', `revealed product of round ${round} is not A·B (Freivalds)`);
    }
  }
  return { ok: true, reason: 'ok', detail: `round ${round} verified` };
}

/** True when A(Bx) = Cx for row-major n×n A, B, C and the vector x. */
export function freivaldsHolds(
  a: ArrayLike<number>,
  b: ArrayLike<number>,
  c: ArrayLike<number>,
  x: ArrayLike<number>,
  n: number,
): boolean {
  const bx = matVec(b, x, n);
  const abx = matVec(a, bx, n);
  const cx = matVec(c, x, n);
  for (let i = 0; i < n; i++) if (abx[i] !== cx[i]) return false;
  return true;
}

function matVec(m: ArrayLike<number>, v: ArrayLike<number>, n: number): Float64Array {
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let sum = 0;
    const row = i * n;
    for (let j = 0; j < n; j++) sum += (m[row + j] as number) * (v[j] as number);
    out[i] = sum;
  }
  return out;
}

function equalBytes(x: Uint8Array, y: Uint8Array): boolean {
  if (x.length !== y.length) return false;
  for (let i = 0; i < x.length; i++) if (x[i] !== y[i]) return false;
  return true;
}

function fail(reason: Exclude<CheckReason, 'ok'>, detail: string): CheckResult {
  return { ok: false, reason, detail };
}
