import { createHash } from 'node:crypto';
import { bytesToHex0x, merkleRootHex } from '@aic/core/merkle';
import { keccak_256 } from '@noble/hashes/sha3.js';

/**
 * Checkpoint commitments.
 *
 *   c_i = keccak256( uint64_be(step) ‖ H(weights) ‖ H(optimizer state) ‖ H(rng state) ‖ H(batch indices) )
 *
 * H is SHA-256 (native in Node, ~1 GB/s, so hashing the weights every K steps stays cheap); the outer hash is
 * keccak256 so c_i and the Merkle root over all c_i (core/merkle, OpenZeppelin-compatible) can be checked on chain.
 */
export interface StepDigests {
  readonly weights: Uint8Array;
  readonly optimizer: Uint8Array;
  readonly rng: Uint8Array;
  readonly batches: Uint8Array;
}

export interface Commitment {
  readonly step: number;
  /** c_i as 0x hex. */
  readonly hash: `0x${string}`;
}

/** An incremental SHA-256 over byte chunks (typed-array views are hashed as their little-endian bytes). */
export function createDigest(): { update(chunk: ArrayBufferView): void; digest(): Uint8Array } {
  const h = createHash('sha256');
  return {
    update(chunk) {
      h.update(new Uint8Array(chunk.buffer, chunk.byteOffset, chunk.byteLength));
    },
    digest: () => new Uint8Array(h.digest()),
  };
}

/** SHA-256 of one byte string. */
export function sha256Bytes(bytes: ArrayBufferView): Uint8Array {
  const d = createDigest();
  d.update(bytes);
  return d.digest();
}

/** c_i for a step and its four digests. */
export function commitmentHash(step: number, digests: StepDigests): `0x${string}` {
  const buf = new Uint8Array(8 + 4 * 32);
  new DataView(buf.buffer).setBigUint64(0, BigInt(step), false);
  buf.set(digests.weights, 8);
  buf.set(digests.optimizer, 40);
  buf.set(digests.rng, 72);
  buf.set(digests.batches, 104);
  return bytesToHex0x(keccak_256(buf));
}

/** The Merkle root over all commitments in step order (the value committed on chain with the result CID). */
export function commitmentRoot(commitments: readonly Commitment[]): `0x${string}` {
  return merkleRootHex(commitments.map((c) => c.hash));
}
