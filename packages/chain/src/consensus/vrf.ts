/**
 * ECVRF (RFC 9381) with try-and-increment encode-to-curve, on secp256k1 with SHA-256: the node's own account key
 * proves, anyone holding its public key verifies, and nobody can predict the output without the secret key.
 *
 * RFC 9381 specifies ECVRF-P256-SHA256-TAI (suite 0x01); ECVRF-SECP256K1-SHA256-TAI is the same construction on
 * secp256k1 (fLen = qLen = 32, cofactor 1, cLen = 16, ptLen = 33) with suite string 0xFE, the value the secp256k1
 * ports of the drafts use. The code is generic over the curve so the RFC's own P-256 vectors test it
 * (test/unit/consensus-vrf.test.ts); the secp256k1 vectors there are derived by this code and pinned.
 *
 * proof = Gamma (33 bytes, compressed) ‖ c (16 bytes) ‖ s (32 bytes) = 81 bytes; output beta = 32 bytes.
 */
import type { WeierstrassPoint, WeierstrassPointCons } from '@noble/curves/abstract/weierstrass.js';
import { secp256k1 } from '@noble/curves/secp256k1.js';
import { bytesToNumberBE, concatBytes, numberToBytesBE } from '@noble/curves/utils.js';
import { hmac } from '@noble/hashes/hmac.js';
import { sha256 } from '@noble/hashes/sha2.js';
import { ChainError } from '../errors.ts';

type Point = WeierstrassPoint<bigint>;

/** One ECVRF-*-SHA256-TAI cipher suite (cofactor 1, 32-byte field and scalars). */
export interface EcvrfSuite {
  /** RFC 9381 suite_string. */
  readonly suite: number;
  readonly Point: WeierstrassPointCons<bigint>;
}

/** ECVRF-SECP256K1-SHA256-TAI: the PoV chain's VRF. */
export const SECP256K1_SHA256_TAI: EcvrfSuite = { suite: 0xfe, Point: secp256k1.Point };

export const VRF_PROOF_BYTES = 81;
export const VRF_OUTPUT_BYTES = 32;
const C_LEN = 16;
const Q_LEN = 32;
const PT_LEN = 33;

/**
 * Proves `alpha` under the 32-byte secret key: the 81-byte proof (its output is {@link vrfProofToHash}).
 * @example const proof = vrfProve(nodeKey, alpha); const beta = vrfVerify(publicKey, alpha, proof);
 */
export function vrfProve(
  secretKey: Uint8Array,
  alpha: Uint8Array,
  suite: EcvrfSuite = SECP256K1_SHA256_TAI,
): Uint8Array {
  const { Point } = suite;
  const q = Point.Fn.ORDER;
  const x = secretKey.length === Q_LEN ? bytesToNumberBE(secretKey) : 0n;
  if (x <= 0n || x >= q) throw new ChainError('CHAIN_VRF_INVALID_KEY', 'VRF secret key is not a scalar in [1, q)');
  const publicKey = Point.BASE.multiply(x).toBytes(true);
  const h = encodeToCurveTai(suite, publicKey, alpha);
  const hBytes = h.toBytes(true);
  const gamma = h.multiply(x);
  const k = rfc6979Nonce(secretKey, hBytes, q);
  const c = challenge(suite, [
    publicKey,
    hBytes,
    gamma.toBytes(true),
    Point.BASE.multiply(k).toBytes(true),
    h.multiply(k).toBytes(true),
  ]);
  const s = (k + c * x) % q;
  return concatBytes(gamma.toBytes(true), numberToBytesBE(c, C_LEN), numberToBytesBE(s, Q_LEN));
}

/**
 * Verifies `proof` of `alpha` under the compressed (33-byte) or uncompressed public key; returns the 32-byte
 * output beta. A bad key raises CHAIN_VRF_INVALID_KEY, a proof that does not verify CHAIN_VRF_INVALID_PROOF.
 */
export function vrfVerify(
  publicKey: Uint8Array,
  alpha: Uint8Array,
  proof: Uint8Array,
  suite: EcvrfSuite = SECP256K1_SHA256_TAI,
): Uint8Array {
  const { Point } = suite;
  const y = decodePublicKey(suite, publicKey);
  const { gamma, c, s } = decodeProof(suite, proof);
  const yBytes = y.toBytes(true);
  try {
    const h = encodeToCurveTai(suite, yBytes, alpha);
    const u = Point.BASE.multiplyUnsafe(s).subtract(y.multiplyUnsafe(c));
    const v = h.multiplyUnsafe(s).subtract(gamma.multiplyUnsafe(c));
    const expected = challenge(suite, [yBytes, h.toBytes(true), gamma.toBytes(true), u.toBytes(true), v.toBytes(true)]);
    if (expected === c) return gammaToHash(suite, gamma);
  } catch (cause) {
    throw new ChainError('CHAIN_VRF_INVALID_PROOF', 'VRF proof does not verify', { cause });
  }
  throw new ChainError('CHAIN_VRF_INVALID_PROOF', 'VRF proof does not verify');
}

/** The 32-byte VRF output of a proof (RFC 9381 ECVRF_proof_to_hash); checks the proof's shape, not its validity. */
export function vrfProofToHash(proof: Uint8Array, suite: EcvrfSuite = SECP256K1_SHA256_TAI): Uint8Array {
  return gammaToHash(suite, decodeProof(suite, proof).gamma);
}

/** The compressed public key the VRF uses for a secret key (the account key's own public key). */
export function vrfPublicKey(secretKey: Uint8Array, suite: EcvrfSuite = SECP256K1_SHA256_TAI): Uint8Array {
  const x = secretKey.length === Q_LEN ? bytesToNumberBE(secretKey) : 0n;
  if (x <= 0n || x >= suite.Point.Fn.ORDER) throw new ChainError('CHAIN_VRF_INVALID_KEY', 'not a secret scalar');
  return suite.Point.BASE.multiply(x).toBytes(true);
}

/** RFC 9381 §5.4.1.1: hash (suite ‖ 0x01 ‖ salt ‖ alpha ‖ ctr ‖ 0x00) until 0x02 ‖ hash is an x coordinate. */
export function encodeToCurveTai(suite: EcvrfSuite, salt: Uint8Array, alpha: Uint8Array): Point {
  for (let ctr = 0; ctr < 256; ctr++) {
    const hash = sha256(concatBytes(Uint8Array.of(suite.suite, 0x01), salt, alpha, Uint8Array.of(ctr, 0x00)));
    try {
      return suite.Point.fromBytes(concatBytes(Uint8Array.of(0x02), hash));
    } catch {
      // not on the curve: about half of the x values are not, try the next counter
    }
  }
  // Probability 2^-256: RFC 9381 says to fail.
  throw new ChainError('CHAIN_VRF_INVALID_PROOF', 'encode_to_curve found no point in 256 tries');
}

/** RFC 9381 §5.4.3: SHA-256(suite ‖ 0x02 ‖ points ‖ 0x00) truncated to cLen bytes. */
function challenge(suite: EcvrfSuite, points: Uint8Array[]): bigint {
  const hash = sha256(concatBytes(Uint8Array.of(suite.suite, 0x02), ...points, Uint8Array.of(0x00)));
  return bytesToNumberBE(hash.subarray(0, C_LEN));
}

function gammaToHash(suite: EcvrfSuite, gamma: Point): Uint8Array {
  // cofactor 1: cofactor × Gamma = Gamma
  return sha256(concatBytes(Uint8Array.of(suite.suite, 0x03), gamma.toBytes(true), Uint8Array.of(0x00)));
}

/** RFC 6979 §3.2 nonce with HMAC-SHA256 over h_string = point_to_string(H) (RFC 9381 §5.4.2.1). */
function rfc6979Nonce(secretKey: Uint8Array, hString: Uint8Array, q: bigint): bigint {
  const h1 = bytesToNumberBE(sha256(hString)) % q;
  const xOctets = secretKey;
  const hOctets = numberToBytesBE(h1, Q_LEN);
  let v = new Uint8Array(32).fill(0x01);
  let k = new Uint8Array(32);
  k = hmac(sha256, k, concatBytes(v, Uint8Array.of(0x00), xOctets, hOctets));
  v = hmac(sha256, k, v);
  k = hmac(sha256, k, concatBytes(v, Uint8Array.of(0x01), xOctets, hOctets));
  v = hmac(sha256, k, v);
  for (;;) {
    v = hmac(sha256, k, v);
    const candidate = bytesToNumberBE(v);
    if (candidate >= 1n && candidate < q) return candidate;
    k = hmac(sha256, k, concatBytes(v, Uint8Array.of(0x00)));
    v = hmac(sha256, k, v);
  }
}

function decodePublicKey(suite: EcvrfSuite, publicKey: Uint8Array): Point {
  try {
    // fromBytes rejects the identity and points off the curve (RFC 9381 §5.4.5 validate_key; cofactor 1).
    return suite.Point.fromBytes(publicKey);
  } catch (cause) {
    throw new ChainError('CHAIN_VRF_INVALID_KEY', 'VRF public key is not a curve point', { cause });
  }
}

function decodeProof(suite: EcvrfSuite, proof: Uint8Array): { gamma: Point; c: bigint; s: bigint } {
  if (proof.length !== VRF_PROOF_BYTES) {
    throw new ChainError('CHAIN_VRF_INVALID_PROOF', `a VRF proof is ${VRF_PROOF_BYTES} bytes`, {
      details: { length: proof.length },
    });
  }
  let gamma: Point;
  try {
    gamma = suite.Point.fromBytes(proof.subarray(0, PT_LEN));
  } catch (cause) {
    throw new ChainError('CHAIN_VRF_INVALID_PROOF', 'VRF proof Gamma is not a curve point', { cause });
  }
  const c = bytesToNumberBE(proof.subarray(PT_LEN, PT_LEN + C_LEN));
  const s = bytesToNumberBE(proof.subarray(PT_LEN + C_LEN));
  if (s >= suite.Point.Fn.ORDER) throw new ChainError('CHAIN_VRF_INVALID_PROOF', 'VRF proof s is not below q');
  return { gamma, c, s };
}
