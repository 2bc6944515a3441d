import { secp256k1 } from '@noble/curves/secp256k1';
import { concatBytes } from 'viem';
import { type NativeSecp256k1, nativeSecp256k1 } from './secp256k1-native.ts';

/**
 * The two secp256k1 operations of the wire signature, over 32-byte digests and 65-byte signatures r ‖ s ‖ v.
 * Both implementations accept and produce exactly the same bytes (test/unit/secp256k1-ops.test.ts).
 */
export interface Secp256k1Ops {
  readonly name: 'native' | 'js';
  /** 65 bytes: r ‖ s ‖ recovery (0 or 1), low-s, RFC 6979 deterministic. */
  sign(digest: Uint8Array, key: Uint8Array): Uint8Array;
  /**
   * The uncompressed (65-byte) public key that made `signature`, or undefined when it is malformed, high-s
   * (malleated), has a recovery id other than 0/1 or does not recover to a point.
   */
  recoverPublicKey(digest: Uint8Array, signature: Uint8Array): Uint8Array | undefined;
}

const HALF_N = secp256k1.CURVE.n >> 1n;

/** @noble/curves: pure JS, every platform. */
export const jsSecp256k1Ops: Secp256k1Ops = {
  name: 'js',
  sign(digest, key) {
    const sig = secp256k1.sign(digest, key, { lowS: true });
    return concatBytes([sig.toCompactRawBytes(), new Uint8Array([sig.recovery])]);
  },
  recoverPublicKey(digest, signature) {
    const recovery = signature[64];
    if (signature.length !== 65 || (recovery !== 0 && recovery !== 1)) return undefined;
    try {
      const sig = secp256k1.Signature.fromCompact(signature.subarray(0, 64)).addRecoveryBit(recovery);
      if (sig.hasHighS()) return undefined;
      return sig.recoverPublicKey(digest).toRawBytes(false);
    } catch {
      return undefined;
    }
  },
};

/** libsecp256k1 through the `secp256k1` package's N-API binding, where it loads. */
export const nativeSecp256k1Ops: Secp256k1Ops | undefined =
  nativeSecp256k1 === undefined ? undefined : nativeOps(nativeSecp256k1);

function nativeOps(native: NativeSecp256k1): Secp256k1Ops {
  return {
    name: 'native',
    sign(digest, key) {
      const { signature, recid } = native.ecdsaSign(digest, key);
      return concatBytes([signature, new Uint8Array([recid])]);
    },
    recoverPublicKey(digest, signature) {
      const recovery = signature[64];
      if (signature.length !== 65 || (recovery !== 0 && recovery !== 1) || digest.length !== 32) return undefined;
      // libsecp256k1 recovers from a high-s signature too; the wire refuses the malleated twin, as noble does.
      if (bigintOf(signature.subarray(32, 64)) > HALF_N) return undefined;
      try {
        return native.ecdsaRecover(signature.subarray(0, 64), recovery, digest, false);
      } catch {
        return undefined;
      }
    },
  };
}

/** What this process uses: native where it loads, else pure JS. */
export const secp256k1Ops: Secp256k1Ops = nativeSecp256k1Ops ?? jsSecp256k1Ops;

function bigintOf(bytes: Uint8Array): bigint {
  return BigInt(`0x${Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('hex')}`);
}
