import { createHash } from 'node:crypto';
import { HardwareClass } from '@aic/ledger';
import { describe, expect, it } from 'vitest';
import { challengeFlops, createChallenge } from '../../src/challenge/challenge.ts';
import { checkChallengeAnswer, freivaldsHolds } from '../../src/challenge/check.ts';
import {
  challengeMatrix,
  ENTRY_MAX,
  ENTRY_MIN,
  hashProduct,
  lowbias32,
  productFromBytes,
  productToBytes,
  roundOperands,
} from '../../src/challenge/matrices.ts';
import { concatHashes, splitHashes } from '../../src/challenge/protocol.ts';
import { revealRound, solveChallenge } from '../../src/challenge/solve.ts';
import { HARDWARE_CLASSES } from '../../src/hardware/descriptor.ts';

const seed = (byte: number) => new Uint8Array(32).fill(byte);

/** Plain triple-loop integer product, the reference the tfjs product must equal. */
function referenceProduct(a: Float32Array, b: Float32Array, n: number): Int32Array {
  const c = new Int32Array(n * n);
  for (let i = 0; i < n; i++)
    for (let k = 0; k < n; k++) {
      const aik = a[i * n + k]!;
      for (let j = 0; j < n; j++) c[i * n + j]! += aik * b[k * n + j]!;
    }
  return c;
}

describe('hardware-class challenge (pure parts)', () => {
  it('draws the same matrices from the same seed and different ones from another', () => {
    const a = challengeMatrix(seed(1), 'left', 3, 64);
    expect(challengeMatrix(seed(1), 'left', 3, 64)).toEqual(a);
    expect(challengeMatrix(seed(2), 'left', 3, 64)).not.toEqual(a);
    expect(challengeMatrix(seed(1), 'right', 3, 64)).not.toEqual(a);
    expect(Math.min(...a)).toBe(ENTRY_MIN);
    expect(Math.max(...a)).toBe(ENTRY_MAX);
  });

  it('gives every round a distinct pair of pool matrices', () => {
    const rounds = 23;
    const pairs = new Set(Array.from({ length: rounds }, (_, r) => JSON.stringify(roundOperands(rounds, r))));
    expect(pairs.size).toBe(rounds);
  });

  it('asks a faster class for more work and more work per deadline millisecond', () => {
    const challenges = HARDWARE_CLASSES.map((c) => createChallenge(c, seed(7)));
    for (let i = 1; i < challenges.length; i++) {
      const [prev, next] = [challenges[i - 1]!, challenges[i]!];
      expect(challengeFlops(next)).toBeGreaterThan(challengeFlops(prev));
      // Flops allowed per deadline millisecond grow with the class: a slower device cannot keep up.
      expect(challengeFlops(next) / next.deadlineMs).toBeGreaterThan(challengeFlops(prev) / prev.deadlineMs);
    }
    const cpu = challenges[0]!;
    expect(cpu).toMatchObject({ claimedClass: HardwareClass.Cpu, n: 128 });
    expect(cpu.deadlineMs).toBeGreaterThanOrEqual(2_000);
  });

  it('refuses a bad seed, n or class', () => {
    expect(() => createChallenge(HardwareClass.Cpu, new Uint8Array(31))).toThrow(/32 bytes/);
    expect(() => createChallenge(HardwareClass.Cpu, seed(1), { n: 1025 })).toThrow(/n out of range/);
    expect(() => createChallenge(9 as never, seed(1))).toThrow(/unknown hardware class/);
  });

  it('round-trips product bytes and hashes', () => {
    const product = Int32Array.from([1, -2, 65536, -65536]);
    expect(productFromBytes(productToBytes(product))).toEqual(product);
    const hashes = [hashProduct(new Uint8Array([1])), hashProduct(new Uint8Array([2]))];
    expect(splitHashes(concatHashes(hashes))).toEqual(hashes);
  });

  it("commits to a product as SHA-256 over its rows' SHA-256 (what the device hashes in parallel)", () => {
    const n = 3;
    const bytes = productToBytes(Int32Array.from({ length: n * n }, (_, i) => i * 1_000 - 4_000));
    const rows = Array.from({ length: n }, (_, r) =>
      createHash('sha256')
        .update(bytes.subarray(12 * r, 12 * (r + 1)))
        .digest(),
    );
    expect(Buffer.from(hashProduct(bytes, n))).toEqual(createHash('sha256').update(Buffer.concat(rows)).digest());
    expect(Buffer.from(hashProduct(bytes))).toEqual(Buffer.from(hashProduct(bytes, n))); // n read from the size
    expect(lowbias32(0)).toBe(0);
    expect(lowbias32(1)).not.toBe(lowbias32(2));
  });

  it('Freivalds accepts the true product and rejects one with a single entry changed', () => {
    const n = 48;
    const a = challengeMatrix(seed(3), 'left', 0, n);
    const b = challengeMatrix(seed(3), 'right', 0, n);
    const c = referenceProduct(a, b, n);
    const x = Array.from({ length: n }, (_, i) => (i * 7919 + 13) % 1_048_576);
    expect(freivaldsHolds(a, b, c, x, n)).toBe(true);
    c[17 * n + 5]! += 1;
    expect(freivaldsHolds(a, b, c, x, n)).toBe(false);
  });
});

describe('hardware-class challenge (solved with tfjs cpu)', () => {
  const challenge = createChallenge(HardwareClass.Cpu, seed(9), { n: 32, targetSeconds: 0.0005 });

  it('computes the exact integer products and passes its own check on every round', async () => {
    const hashes = await solveChallenge(challenge, { backend: 'cpu' });
    expect(hashes).toHaveLength(challenge.rounds);
    expect(challenge.rounds).toBeGreaterThan(1);
    for (let round = 0; round < challenge.rounds; round++) {
      const bytes = await revealRound(challenge, round);
      const { left, right } = roundOperands(challenge.rounds, round);
      const a = challengeMatrix(challenge.seed, 'left', left, challenge.n);
      const b = challengeMatrix(challenge.seed, 'right', right, challenge.n);
      expect(productFromBytes(bytes)).toEqual(referenceProduct(a, b, challenge.n));
      expect(checkChallengeAnswer(challenge, hashes, round, bytes)).toMatchObject({ ok: true, reason: 'ok' });
    }
  });

  it('rejects a revealed product that differs from the committed hash, and a committed wrong product', async () => {
    const hashes = await solveChallenge(challenge);
    const bytes = await revealRound(challenge, 1);
    const tampered = bytes.slice();
    tampered[40] = (tampered[40] ?? 0) ^ 1;
    expect(checkChallengeAnswer(challenge, hashes, 1, tampered).reason).toBe('hash-mismatch');
    const committedWrong = hashes.map((h, r) => (r === 1 ? hashProduct(tampered) : h));
    expect(checkChallengeAnswer(challenge, committedWrong, 1, tampered).reason).toBe('freivalds-failed');
    expect(checkChallengeAnswer(challenge, hashes.slice(1), 1, bytes).reason).toBe('malformed-answer');
    expect(checkChallengeAnswer(challenge, hashes, 1, bytes.subarray(4)).reason).toBe('malformed-answer');
  });

  it('stops between rounds when aborted', async () => {
    await expect(solveChallenge(challenge, { signal: AbortSignal.abort() })).rejects.toMatchObject({
      code: 'HARDWARE_CHALLENGE_ABORTED',
    });
  });
});
