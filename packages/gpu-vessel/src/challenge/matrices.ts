import { createHash } from 'node:crypto';

/**
 * The challenge's matrices, drawn from its seed so that the provider and the challenger derive the same ones.
 *
 * Entries are small integers in [-8, 7] (one 4-bit nibble each), so every dot product of length n ≤ 1024 stays below
 * 64·1024 = 2^16 < 2^24 in magnitude: FP32 matmuls are EXACT on every device whatever the summation order or FMA use,
 * and hashes of the products agree across CPUs and GPUs. Products travel as little-endian int32 (no -0 ambiguity).
 *
 * v2 (issue 16): every 32-bit word of a matrix is a keyed hash of its index (`matrixWord`), and a round's
 * commitment hashes each product row on its own and then the row digests (`hashProduct`), so a GPU generates the
 * operands and hashes the products in parallel on the device (solve-webgpu.ts), bit for bit what the CPU computes.
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
  const key = matrixKeyWords(seed, side, index, n);
  const out = new Float32Array(n * n);
  let word = 0;
  for (let i = 0; i < out.length; i++) {
    if ((i & 7) === 0) word = matrixWord(key, i >>> 3);
    out[i] = ((word >>> ((i & 7) * 4)) & 15) + ENTRY_MIN;
  }
  return out;
}

/** The matrix's key as four 32-bit words (what the device kernel gets as a uniform). */
export function matrixKeyWords(seed: Uint8Array, side: MatrixSide, index: number, n: number): Uint32Array {
  const key = matrixKey(seed, side, index, n);
  const view = new DataView(key.buffer, key.byteOffset, key.byteLength);
  return Uint32Array.from([0, 4, 8, 12], (at) => view.getUint32(at));
}

/** Word `w` of a matrix: four rounds of Wellons' lowbias32 mixer over w and the key (32-bit integer only, the same
 * in JS and WGSL). Each word holds 8 entries, one nibble each. */
export function matrixWord(key: Uint32Array, w: number): number {
  let h = lowbias32((w + (key[0] ?? 0)) >>> 0);
  h = lowbias32(h ^ (key[1] ?? 0));
  h = lowbias32((h + (key[2] ?? 0)) >>> 0);
  return lowbias32(h ^ (key[3] ?? 0));
}

export function lowbias32(v: number): number {
  let x = v >>> 0;
  x ^= x >>> 16;
  x = Math.imul(x, 0x7feb352d) >>> 0;
  x ^= x >>> 15;
  x = Math.imul(x, 0x846ca68b) >>> 0;
  x ^= x >>> 16;
  return x >>> 0;
}

/**
 * The per-round commitment of an n×n product (little-endian int32 bytes): SHA-256 over the SHA-256 of each row (4n
 * bytes), so the rows can be hashed in parallel. Bytes that are not whole rows hash as one row.
 */
export function hashProduct(productBytes: Uint8Array, n = Math.round(Math.sqrt(productBytes.length / 4))): Uint8Array {
  const rowBytes = 4 * n;
  const rows = rowBytes > 0 && productBytes.length === rowBytes * n ? n : 1;
  const size = rows === 1 ? productBytes.length : rowBytes;
  const outer = createHash('sha256');
  for (let r = 0; r < rows; r++) {
    outer.update(
      createHash('sha256')
        .update(productBytes.subarray(r * size, (r + 1) * size))
        .digest(),
    );
  }
  return new Uint8Array(outer.digest());
}

/** The commitment from row digests already computed (e.g. on the device): SHA-256 over them. */
export function hashOfRowDigests(rowDigests: Uint8Array): Uint8Array {
  return new Uint8Array(createHash('sha256').update(rowDigests).digest());
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
  return createHash('sha256').update('aic/hw-challenge/v2').update(seed).update(header).digest();
}
