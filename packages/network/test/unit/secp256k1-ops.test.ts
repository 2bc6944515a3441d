import { describe, expect, it } from 'vitest';
import { jsSecp256k1Ops, nativeSecp256k1Ops, secp256k1Ops } from '../../src/wire/secp256k1-ops.ts';
import { createWireSigner, recoverSigner, SignatureVerifier } from '../../src/wire/signature.ts';

const N = 0xfffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141n;
const hex32 = (x: bigint) => Buffer.from(x.toString(16).padStart(64, '0'), 'hex');
const keyOf = (i: number) => `0x${(BigInt(i + 1) * 0x9e3779b97f4a7c15n).toString(16).padStart(64, '0')}` as const;
const digestOf = (i: number) => Uint8Array.from({ length: 32 }, (_, j) => (i * 31 + j * 7 + 5) & 0xff);

/** The high-s twin of a low-s signature: same r, s' = n - s, flipped recovery bit (recovers to the same key). */
function highSTwin(sig: Uint8Array): Uint8Array {
  const s = BigInt(`0x${Buffer.from(sig.subarray(32, 64)).toString('hex')}`);
  return Uint8Array.from([...sig.subarray(0, 32), ...hex32(N - s), (sig[64] ?? 0) ^ 1]);
}

describe('secp256k1 implementations (native libsecp256k1 and @noble/curves)', () => {
  it('loads the native binding on this platform (linux-x64 ships a prebuilt binary)', () => {
    if (process.platform === 'linux' && process.arch === 'x64') expect(secp256k1Ops.name).toBe('native');
  });

  const native = nativeSecp256k1Ops;
  it.skipIf(native === undefined)('sign the same bytes and recover the same keys, malformed input included', () => {
    if (native === undefined) return;
    for (let i = 0; i < 30; i++) {
      const js = createWireSigner(keyOf(i), jsSecp256k1Ops);
      const nat = createWireSigner(keyOf(i), native);
      const digest = digestOf(i);
      const sig = js.sign(digest);
      expect(Buffer.from(nat.sign(digest)).toString('hex')).toBe(Buffer.from(sig).toString('hex'));
      const corrupted = Uint8Array.from(sig);
      corrupted[i % 65] = (corrupted[i % 65] ?? 0) ^ (1 << (i % 8));
      const candidates = [
        sig,
        corrupted,
        highSTwin(sig),
        sig.subarray(0, 64),
        Uint8Array.from([...sig.subarray(0, 64), 2]),
        Uint8Array.from([...hex32(0n), ...sig.subarray(32)]),
        Uint8Array.from([...hex32(N), ...sig.subarray(32)]),
        Uint8Array.from([...sig.subarray(0, 32), ...hex32(0n), sig[64] ?? 0]),
      ];
      // Verifiers that already keep the sender's key (fast paths of both implementations).
      const keptJs = new SignatureVerifier(4, jsSecp256k1Ops);
      const keptNative = new SignatureVerifier(4, native);
      expect(keptJs.verify(digest, sig, js.address) && keptNative.verify(digest, sig, js.address)).toBe(true);
      for (const candidate of candidates) {
        const expected = recoverSigner(digest, candidate, jsSecp256k1Ops);
        expect(recoverSigner(digest, candidate, native)).toBe(expected);
        expect(new SignatureVerifier(4, native).verify(digest, candidate, js.address)).toBe(expected === js.address);
        expect(keptNative.verify(digest, candidate, js.address)).toBe(expected === js.address);
        expect(keptJs.verify(digest, candidate, js.address)).toBe(expected === js.address);
      }
      expect(recoverSigner(digest, sig, native)).toBe(js.address);
      expect(recoverSigner(digest, highSTwin(sig), native)).toBeUndefined();
    }
  });

  it.skipIf(native === undefined)('a kept key does not vouch for another sender', () => {
    if (native === undefined) return;
    const a = createWireSigner(keyOf(1), native);
    const b = createWireSigner(keyOf(2), native);
    const verifier = new SignatureVerifier(2, native);
    expect(verifier.verify(digestOf(1), a.sign(digestOf(1)), a.address)).toBe(true);
    expect(verifier.verify(digestOf(2), b.sign(digestOf(2)), a.address)).toBe(false);
    expect(verifier.verify(digestOf(2), b.sign(digestOf(2)), b.address)).toBe(true);
  });
});
