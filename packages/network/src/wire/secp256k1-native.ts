import { createRequire } from 'node:module';

/**
 * The parts of the `secp256k1` npm package (bitcoin-core's libsecp256k1 behind N-API, prebuilt binaries for
 * linux-x64, darwin-arm64 and win32-x64 inside the package) that the wire signature uses. Recovery there costs
 * ~1/10 of @noble/curves' on this machine, and every gossip message is verified by every node that receives it.
 */
export interface NativeSecp256k1 {
  /** RFC 6979 deterministic, low-s: the same 64 bytes and recovery id as @noble/curves' `sign(…, { lowS: true })`. */
  ecdsaSign(msg32: Uint8Array, seckey: Uint8Array): { signature: Uint8Array; recid: number };
  /** The signer's public key (65 bytes when `compressed` is false); throws when the signature does not recover. */
  ecdsaRecover(sig64: Uint8Array, recid: number, msg32: Uint8Array, compressed: boolean): Uint8Array;
}

/**
 * The native binding, or undefined where it does not load (no prebuilt binary for this platform, a bundle without
 * node_modules): callers then use @noble/curves, which accepts exactly the same signatures. Loaded from
 * `secp256k1/bindings`, never `secp256k1` itself: the package's own fallback is `elliptic`, slower than noble.
 */
export const nativeSecp256k1: NativeSecp256k1 | undefined = loadNative();

function loadNative(): NativeSecp256k1 | undefined {
  try {
    return createRequire(import.meta.url)('secp256k1/bindings') as NativeSecp256k1;
  } catch {
    return undefined;
  }
}
