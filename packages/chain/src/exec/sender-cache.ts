/**
 * Sender recovery once per transaction per node, and fast when it happens: an LRU of recovered public keys keyed by
 * (message hash, v, r, s), plugged into the transaction Common's `customCrypto.ecrecover`, over libsecp256k1 (the
 * `secp256k1` package's N-API binding: ~0.14 ms per recovery vs ~2.5–6 ms for @noble/curves on this machine; noble
 * where the binding does not load). A validator recovers a gossiped transaction's sender when it admits it into
 * its pool; building or importing the block that carries it then hits the cache.
 */
import { createRequire } from 'node:module';
import { bytesToHex, calculateSigRecovery, ecrecover, setLengthLeft } from '@ethereumjs/util';

export type Ecrecover = (msgHash: Uint8Array, v: bigint, r: Uint8Array, s: Uint8Array, chainId?: bigint) => Uint8Array;

interface NativeRecover {
  /** 65-byte uncompressed key when `compressed` is false; throws when the signature does not recover. */
  ecdsaRecover(sig64: Uint8Array, recid: number, msg32: Uint8Array, compressed: boolean): Uint8Array;
}

/** `secp256k1/bindings`, not `secp256k1`: the package's own fallback is `elliptic`, slower than noble. */
function loadNative(): NativeRecover | undefined {
  try {
    return createRequire(import.meta.url)('secp256k1/bindings') as NativeRecover;
  } catch {
    return undefined;
  }
}

const native = loadNative();

/** True when recovery runs in libsecp256k1 (figures and tests say which one they measured). */
export const nativeRecovery = native !== undefined;

/**
 * EthereumJS's `ecrecover` contract (64-byte public key; throws on a bad v or a signature that does not recover)
 * over libsecp256k1. Both accept the same signatures: r, s in [1, n) (s above n/2 is refused by the transaction's
 * own EIP-2 check before recovery), recovery id 0 or 1.
 */
export const fastEcrecover: Ecrecover = native
  ? (msgHash, v, r, s, chainId) => {
      const recovery = calculateSigRecovery(v, chainId);
      if (recovery !== 0n && recovery !== 1n) throw new Error('Invalid signature v value');
      if (r.length > 32 || s.length > 32) throw new Error('Invalid signature: r or s longer than 32 bytes');
      const sig = new Uint8Array(64);
      sig.set(setLengthLeft(r, 32), 0);
      sig.set(setLengthLeft(s, 32), 32);
      return native.ecdsaRecover(sig, Number(recovery), msgHash, false).slice(1);
    }
  : ecrecover;

export function createCachedEcrecover(maxEntries: number, recover: Ecrecover = fastEcrecover): Ecrecover {
  const cache = new Map<string, Uint8Array>();
  return (msgHash, v, r, s, chainId) => {
    const key = `${bytesToHex(msgHash)}${v.toString(16)}${bytesToHex(r)}${bytesToHex(s)}`;
    const hit = cache.get(key);
    if (hit) return hit;
    const publicKey = recover(msgHash, v, r, s, chainId);
    cache.set(key, publicKey);
    if (cache.size > maxEntries) {
      const oldest = cache.keys().next().value;
      if (oldest !== undefined) cache.delete(oldest);
    }
    return publicKey;
  };
}
