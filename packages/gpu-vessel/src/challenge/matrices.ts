import { createHash } from 'node:crypto';

/**
 * The challenge's matrices, drawn from its seed so that the provider and the challenger derive the same ones.
 *
 * Entries are small integers in [-8, 7] (one 4-bit nibble each), so every dot product of length n ≤ 1024 stays below
 * 64·1024 = 2^16 < 2^24 in magnitude: FP32 matmuls are EXACT on every device whatever the summation order or FMA use,
 * and hashes of the products agree across CPUs and GPUs. Products travel as little-endian int32 (no -0 ambiguity).
 *
 * Round r multiplies left matrix ⌊r/P⌋ by right matrix r mod P of two pools of P = ⌈√rounds⌉ matrices each: every
 * round is a distinct n×n product (computing all of them costs rounds·2n³ flops, the same as stacking the pools into
 * one big matmul), while generating and uploading the inputs costs only 2P·n², not 2·rounds·n².
 */
export const ENTRY_MIN = -8;
export const ENTRY_MAX = 7;
/** Largest matrix side: keeps |entries of a product| < 2^24 (exact in FP32) and a revealed product ≤ 4 MiB. */
export const MAX_CHALLENGE_N = 1024;
export const HASH_BYTES = 32;

export type MatrixSide = 'left' | 'right';

/** Size of each operand pool for `rounds` rounds. */
export function poolSizeOf(rounds: number): number {
  return Math.max(1, Math.ceil(Math.sqrt(rounds)));
}

/** Which pool matrices round `round` multiplies. */
export function roundOperands(rounds: number, round: number): { left: number; right: number } {
  const pool = poolSizeOf(rounds);
  return { left: Math.floor(round / pool), right: round % pool };
}

/** The n×n matrix `index` of pool `side`, row-major, entries in [ENTRY_MIN, ENTRY_MAX]. */
export function challengeMatrix(seed: Uint8Array, side: MatrixSide, index: number, n: number): Float32Array {
  const next = xoshiro128ss(matrixKey(seed, side, index, n));
  const out = new Float32Array(n * n);
  let word = 0;
  for (let i = 0; i < out.length; i++) {
    if ((i & 7) === 0) word = next();
    out[i] = ((word >>> ((i & 7) * 4)) & 15) + ENTRY_MIN;
  }
  return out;
}

/** SHA-256 of a product's bytes: the per-round commitment. */
export function hashProduct(productBytes: Uint8Array): Uint8Array {
  return new Uint8Array(createHash('sha256').update(productBytes).digest());
}

/** Little-endian int32 bytes of a product (what is hashed and revealed). */
export function productToBytes(product: Int32Array): Uint8Array {
  if (!LITTLE_ENDIAN) return littleEndianCopy(product);
  return new Uint8Array(product.buffer, product.byteOffset, product.byteLength);
}

/** Reads little-endian int32 product bytes (any alignment). */
export function productFromBytes(bytes: Uint8Array): Int32Array {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const out = new Int32Array(bytes.byteLength >>> 2);
  for (let i = 0; i < out.length; i++) out[i] = view.getInt32(i * 4, true);
  return out;
}

const LITTLE_ENDIAN = new Uint8Array(new Uint32Array([1]).buffer)[0] === 1;

function littleEndianCopy(product: Int32Array): Uint8Array {
  const bytes = new Uint8Array(product.length * 4);
  const view = new DataView(bytes.buffer);
  for (let i = 0; i < product.length; i++) view.setInt32(i * 4, product[i] ?? 0, true);
  return bytes;
}

function matrixKey(seed: Uint8Array, side: MatrixSide, index: number, n: number): Uint8Array {
  const header = new Uint8Array(9);
  const view = new DataView(header.buffer);
  header[0] = side === 'left' ? 0 : 1;
  view.setUint32(1, index);
  view.setUint32(5, n);
  return createHash('sha256').update('aic/hw-challenge/v1').update(seed).update(header).digest();
}

/** xoshiro128** (Blackman & Vigna): fast, well mixed, 32-bit integer only, so bit-identical everywhere. */
function xoshiro128ss(key: Uint8Array): () => number {
  const view = new DataView(key.buffer, key.byteOffset, key.byteLength);
  let a = view.getUint32(0);
  let b = view.getUint32(4);
  let c = view.getUint32(8);
  let d = view.getUint32(12) | 1; // never the all-zero state
  return () => {
    const result = Math.imul(rotl(Math.imul(b, 5), 7), 9) >>> 0;
    const t = b << 9;
    c ^= a;
    d ^= b;
    b ^= c;
    a ^= d;
    c ^= t;
    d = rotl(d, 11);
    return result;
  };
}

function rotl(x: number, k: number): number {
  return (x << k) | (x >>> (32 - k));
}
