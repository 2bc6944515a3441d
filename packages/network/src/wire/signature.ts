import { keccak256Bulk } from '@aic/core/hash';
import { invert } from '@noble/curves/abstract/modular';
import { secp256k1 } from '@noble/curves/secp256k1';
import { type Address, bytesToHex, concatBytes, getAddress, keccak256 } from 'viem';
import { addressFromPublicKey, type RawPrivateKey, rawPrivateKeyToBytes } from '../identity.ts';
import { cborEncode } from './cbor.ts';
import { type Secp256k1Ops, secp256k1Ops } from './secp256k1-ops.ts';

/** Domain tag hashed in front of every signed envelope, so an AIC wire signature means nothing elsewhere. */
export const WIRE_SIGNATURE_DOMAIN = 'AIC wire message v1';
const domainPrefix = concatBytes([new TextEncoder().encode(WIRE_SIGNATURE_DOMAIN), new Uint8Array([0])]);

/** The fields an envelope signature covers (everything but the signature). */
export interface UnsignedEnvelopeFields {
  v: 1;
  type: string;
  from: Uint8Array;
  seq: number;
  ts: number;
  body: unknown;
}

/** keccak256(domain ‖ 0x00 ‖ canonical CBOR of the unsigned fields). Native keccak: bodies carry checkpoints (MBs). */
export function envelopeDigest(fields: UnsignedEnvelopeFields): Uint8Array {
  return keccak256Bulk(concatBytes([domainPrefix, cborEncode(fields)]));
}

/** Signs wire digests with one secp256k1 key; the key stays inside this closure and is never exposed. */
export interface WireSigner {
  readonly address: Address;
  readonly addressBytes: Uint8Array;
  /** 65 bytes: r ‖ s ‖ recovery (0 or 1), low-s. */
  sign(digest: Uint8Array): Uint8Array;
}

/** A signer for a raw private key (`ops`: the secp256k1 implementation, native where it loads). */
export function createWireSigner(privateKey: RawPrivateKey, ops: Secp256k1Ops = secp256k1Ops): WireSigner {
  const key = rawPrivateKeyToBytes(privateKey).slice();
  const address = addressFromPublicKey(secp256k1.getPublicKey(key, false));
  const addressBytes = hexAddressToBytes(address);
  return {
    address,
    addressBytes,
    sign: (digest) => ops.sign(digest, key),
  };
}

/**
 * The address that produced a 65-byte signature over `digest`, or undefined when the signature is malformed,
 * high-s (malleated) or does not recover to a point.
 */
export function recoverSigner(
  digest: Uint8Array,
  signature: Uint8Array,
  ops: Secp256k1Ops = secp256k1Ops,
): Address | undefined {
  const publicKey = ops.recoverPublicKey(digest, signature);
  return publicKey === undefined ? undefined : addressOfUncompressedKey(publicKey);
}

/** keccak256 of the 64 key bytes, last 20, checksummed (the key is a valid point: it came out of recovery). */
function addressOfUncompressedKey(publicKey: Uint8Array): Address {
  return getAddress(bytesToHex(keccak256(publicKey.subarray(1), 'bytes').subarray(12)));
}

type CurvePoint = InstanceType<typeof secp256k1.ProjectivePoint>;

/** Window of the per-key multiplication tables: ~43 KiB per key, verification ~2.5× faster than recovery. */
const KEY_TABLE_WINDOW = 4;

/**
 * Checks that a 65-byte signature over `digest` was made by `claimed`, exactly as `recoverSigner(...) === claimed`
 * would, but cheaper for recently active senders, whose public key is kept (least recently used dropped first):
 * - native libsecp256k1: recover, then compare the key's bytes with the sender's kept key (no hashing);
 * - pure JS: the kept key carries a precomputed multiplication table and the signature is verified against it,
 *   recovery bit included (~2.5× faster than recovery), so both paths accept the same bytes.
 */
export class SignatureVerifier {
  readonly #keys = new Map<string, CurvePoint>();
  readonly #nativeKeys = new Map<string, Uint8Array>();
  readonly #maxKeys: number;
  readonly #ops: Secp256k1Ops;

  /** `maxKeys` bounds memory: ~43 KiB each in pure JS (default 512 ≈ 22 MiB), 65 bytes each native. */
  constructor(maxKeys = 512, ops: Secp256k1Ops = secp256k1Ops) {
    this.#maxKeys = maxKeys;
    this.#ops = ops;
  }

  verify(digest: Uint8Array, signature: Uint8Array, claimed: Address): boolean {
    return this.#ops.name === 'native'
      ? this.#verifyNative(digest, signature, claimed)
      : this.#verifyJs(digest, signature, claimed);
  }

  #verifyNative(digest: Uint8Array, signature: Uint8Array, claimed: Address): boolean {
    const recovered = this.#ops.recoverPublicKey(digest, signature);
    if (recovered === undefined) return false;
    const kept = this.#nativeKeys.get(claimed);
    if (kept !== undefined) {
      this.#nativeKeys.delete(claimed);
      this.#nativeKeys.set(claimed, kept);
      return Buffer.compare(kept, recovered) === 0;
    }
    if (addressOfUncompressedKey(recovered) !== claimed) return false;
    if (this.#nativeKeys.size >= this.#maxKeys) this.#nativeKeys.delete(this.#nativeKeys.keys().next().value ?? '');
    this.#nativeKeys.set(claimed, recovered);
    return true;
  }

  #verifyJs(digest: Uint8Array, signature: Uint8Array, claimed: Address): boolean {
    const cached = this.#keys.get(claimed);
    if (cached !== undefined) {
      this.#keys.delete(claimed);
      this.#keys.set(claimed, cached);
      return verifyWithKey(cached, digest, signature);
    }
    if (signature.length !== 65) return false;
    try {
      const sig = secp256k1.Signature.fromCompact(signature.subarray(0, 64)).addRecoveryBit(signature[64] ?? 0);
      if (sig.hasHighS() || (signature[64] ?? 2) > 1) return false;
      const key = sig.recoverPublicKey(digest);
      if (addressFromPublicKey(key.toRawBytes(false)) !== claimed) return false;
      if (this.#keys.size >= this.#maxKeys) this.#keys.delete(this.#keys.keys().next().value ?? '');
      secp256k1.utils.precompute(KEY_TABLE_WINDOW, key);
      this.#keys.set(claimed, key);
      return true;
    } catch {
      return false;
    }
  }
}

/** ECDSA verification against a known key, also requiring the recovery bit to match R's y parity. */
function verifyWithKey(key: CurvePoint, digest: Uint8Array, signature: Uint8Array): boolean {
  const v = signature[64];
  if (signature.length !== 65 || (v !== 0 && v !== 1)) return false;
  try {
    const sig = secp256k1.Signature.fromCompact(signature.subarray(0, 64));
    if (sig.hasHighS()) return false;
    const n = secp256k1.CURVE.n;
    const h = bytesToBigint(digest) % n;
    const sInv = invert(sig.s, n);
    // multiply() (constant-time) is the path that uses the key's precomputed table. Not multiplyUnsafe(): in noble
    // 1.9.1 it returns wrong points for a point with precomputes (checked: 200 of 200 random scalars, base and key).
    const sum = secp256k1.ProjectivePoint.BASE.multiply((h * sInv) % n).add(key.multiply((sig.r * sInv) % n));
    if (sum.equals(secp256k1.ProjectivePoint.ZERO)) return false;
    const r = sum.toAffine();
    // x ≥ n would need recovery id 2/3, which we never accept; so R.x must equal r exactly.
    return r.x === sig.r && Number(r.y & 1n) === v;
  } catch {
    return false;
  }
}

function bytesToBigint(bytes: Uint8Array): bigint {
  return BigInt(bytesToHex(bytes));
}

/** 20 address bytes from a 0x address. */
export function hexAddressToBytes(address: Address): Uint8Array {
  return Uint8Array.from(Buffer.from(address.slice(2), 'hex'));
}

/** The checksummed address of 20 bytes. */
export function addressBytesToHex(bytes: Uint8Array): Address {
  return getAddress(bytesToHex(bytes));
}
