import { describe, expect, it } from 'vitest';
import { createWireSigner, recoverSigner, SignatureVerifier } from '../../src/wire/signature.ts';

const signer = createWireSigner(`0x${'33'.repeat(32)}`);
const other = createWireSigner(`0x${'44'.repeat(32)}`);
const digest = (i: number) => new Uint8Array(32).fill(i);

describe('SignatureVerifier (cached-key fast path)', () => {
  it('accepts exactly what recovery accepts, before and after the key is cached', () => {
    const verifier = new SignatureVerifier();
    for (let i = 1; i <= 4; i++) {
      const sig = signer.sign(digest(i));
      expect(recoverSigner(digest(i), sig)).toBe(signer.address);
      expect(verifier.verify(digest(i), sig, signer.address)).toBe(true);
      expect(verifier.verify(digest(i + 100), sig, signer.address)).toBe(false);
      expect(verifier.verify(digest(i), sig, other.address)).toBe(false);
    }
  });

  it('rejects a flipped recovery bit or a high-s twin on the cached path too', () => {
    const verifier = new SignatureVerifier();
    const sig = signer.sign(digest(9));
    expect(verifier.verify(digest(9), sig, signer.address)).toBe(true);
    const flipped = Uint8Array.from(sig);
    flipped[64] = (sig[64] ?? 0) ^ 1;
    expect(recoverSigner(digest(9), flipped)).not.toBe(signer.address);
    expect(verifier.verify(digest(9), flipped, signer.address)).toBe(false);
    const n = 0xfffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141n;
    const s = BigInt(`0x${Buffer.from(sig.subarray(32, 64)).toString('hex')}`);
    const highS = Uint8Array.from([
      ...sig.subarray(0, 32),
      ...Buffer.from((n - s).toString(16).padStart(64, '0'), 'hex'),
      (sig[64] ?? 0) ^ 1,
    ]);
    expect(verifier.verify(digest(9), highS, signer.address)).toBe(false);
    expect(verifier.verify(digest(9), sig.subarray(0, 64), signer.address)).toBe(false);
  });

  it('agrees with recovery on random signatures and on corrupted ones (variable-time fast path)', () => {
    const verifier = new SignatureVerifier();
    let accepted = 0;
    for (let i = 0; i < 40; i++) {
      const key = createWireSigner(`0x${(BigInt(i + 1) * 0x9e3779b97f4a7c15n).toString(16).padStart(64, '0')}`);
      const d = Uint8Array.from({ length: 32 }, (_, j) => (i * 31 + j * 7) & 0xff);
      const sig = key.sign(d);
      verifier.verify(d, sig, key.address); // caches the key: the next checks take the fast path
      const corrupted = Uint8Array.from(sig);
      corrupted[i % 64] = (corrupted[i % 64] ?? 0) ^ (1 << (i % 8));
      for (const candidate of [sig, corrupted]) {
        const expected = recoverSigner(d, candidate) === key.address;
        expect(verifier.verify(d, candidate, key.address)).toBe(expected);
        if (expected) accepted++;
      }
    }
    expect(accepted).toBe(40);
  });

  it('keeps at most maxKeys keys and still verifies evicted senders by recovery', () => {
    const verifier = new SignatureVerifier(1);
    expect(verifier.verify(digest(1), signer.sign(digest(1)), signer.address)).toBe(true);
    expect(verifier.verify(digest(2), other.sign(digest(2)), other.address)).toBe(true);
    expect(verifier.verify(digest(3), signer.sign(digest(3)), signer.address)).toBe(true);
  });
});
