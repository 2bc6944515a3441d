import { defineProtocol } from '@aic/network';
import { z } from 'zod';
import { HARDWARE_CLASSES, type HardwareClassId } from '../hardware/descriptor.ts';
import { CHALLENGE_LIMITS, type HardwareChallenge } from './challenge.ts';
import { HASH_BYTES, MAX_CHALLENGE_N } from './matrices.ts';

/**
 * `/aic/hw-challenge/2.0.0`: the challenger sends `work` (a sized challenge) and receives the per-round hashes
 * concatenated; then it sends `reveal` for one round it drew after that answer and receives the product bytes.
 * Limits: n ≤ 1024 (a revealed product ≤ 4 MiB), rounds ≤ 16,384 (≤ 512 KiB of hashes), deadline ≤ 60 s.
 */
// 2.0.0: v2 matrices and row-wise hashes (matrices.ts), so a GPU solves on the device; 1.0.0 peers cannot answer.
export const HW_CHALLENGE_PROTOCOL_ID = '/aic/hw-challenge/2.0.0';

/** Any Uint8Array (z.instanceof would narrow the buffer type to ArrayBuffer). */
const bytes = z.custom<Uint8Array>((value) => value instanceof Uint8Array, 'expected bytes');
const seedBytes = bytes.refine((b) => b.length === 32, 'seed must be 32 bytes');
const classId = z
  .number()
  .int()
  .refine((v) => (HARDWARE_CLASSES as readonly number[]).includes(v), 'unknown hardware class')
  .transform((v) => v as HardwareClassId);

const challengeSchema: z.ZodType<HardwareChallenge> = z.strictObject({
  seed: seedBytes,
  claimedClass: classId,
  n: z.number().int().min(1).max(MAX_CHALLENGE_N),
  rounds: z.number().int().min(1).max(CHALLENGE_LIMITS.maxRounds),
  deadlineMs: z.number().int().min(1).max(CHALLENGE_LIMITS.maxDeadlineMs),
});

const requestSchema = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('work'), challenge: challengeSchema }),
  z.strictObject({ kind: z.literal('reveal'), seed: seedBytes, round: z.number().int().min(0) }),
]);

const responseSchema = z.discriminatedUnion('kind', [
  z.strictObject({
    kind: z.literal('work'),
    /** rounds × 32 bytes: SHA-256 of each round's product, in round order. */
    hashes: bytes.refine((b) => b.length % HASH_BYTES === 0, 'hashes must be 32-byte multiples'),
  }),
  z.strictObject({
    kind: z.literal('reveal'),
    /** Little-endian int32 product, n² entries. */
    product: bytes.refine((b) => b.length <= MAX_CHALLENGE_N ** 2 * 4, 'product too large'),
  }),
]);

export type HardwareChallengeRequest = z.output<typeof requestSchema>;
export type HardwareChallengeResponse = z.output<typeof responseSchema>;

export const hardwareChallengeProtocol = defineProtocol<HardwareChallengeRequest, HardwareChallengeResponse>({
  id: HW_CHALLENGE_PROTOCOL_ID,
  request: requestSchema,
  response: responseSchema,
  maxRequestBytes: 1024,
  maxResponseBytes: MAX_CHALLENGE_N ** 2 * 4 + 64 * 1024,
  // The serving side allows the longest challenge; callers pass the challenge's own deadline per request.
  timeoutMs: CHALLENGE_LIMITS.maxDeadlineMs,
});

/** Concatenates per-round hashes for the wire. */
export function concatHashes(hashes: readonly Uint8Array[]): Uint8Array {
  const out = new Uint8Array(hashes.length * HASH_BYTES);
  hashes.forEach((hash, i) => {
    out.set(hash.subarray(0, HASH_BYTES), i * HASH_BYTES);
  });
  return out;
}

/** Splits wire hashes into one 32-byte hash per round. */
export function splitHashes(bytes: Uint8Array): Uint8Array[] {
  const hashes: Uint8Array[] = [];
  for (let at = 0; at + HASH_BYTES <= bytes.length; at += HASH_BYTES) hashes.push(bytes.slice(at, at + HASH_BYTES));
  return hashes;
}
