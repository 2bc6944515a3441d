import { getHashes } from 'node:crypto';
import { bytesToHex, keccak256 } from 'viem';
import { describe, expect, it } from 'vitest';
import { KECCAK_IMPLEMENTATION, keccak256Bulk, keccak256BulkParts } from '../../src/hash/index.ts';

function pseudoRandomBytes(length: number, seed: number): Uint8Array {
  const out = new Uint8Array(length);
  let x = seed;
  for (let i = 0; i < length; i++) {
    x = (x * 1_103_515_245 + 12_345) >>> 0;
    out[i] = x >>> 24;
  }
  return out;
}

describe('bulk keccak256', () => {
  it('uses OpenSSL where node:crypto has keccak-256, else the native addon where a prebuild exists (linux x64)', () => {
    if (getHashes().includes('keccak-256')) expect(KECCAK_IMPLEMENTATION).toBe('openssl');
    else if (process.platform === 'linux' && process.arch === 'x64') expect(KECCAK_IMPLEMENTATION).toBe('native');
    else expect(['native', 'noble']).toContain(KECCAK_IMPLEMENTATION);
  });

  it('gives viem’s digest for every size around the rate boundary and for views into larger buffers', () => {
    for (const size of [0, 1, 135, 136, 137, 4096, 300_001]) {
      const data = pseudoRandomBytes(size, size);
      expect(bytesToHex(keccak256Bulk(data))).toBe(keccak256(bytesToHex(data)));
    }
    const offset = pseudoRandomBytes(100, 9).subarray(10, 60);
    expect(bytesToHex(keccak256Bulk(offset))).toBe(keccak256(bytesToHex(offset)));
  });

  it('hashes parts as their concatenation, with empty parts and views into larger buffers', () => {
    const whole = pseudoRandomBytes(300_001, 3);
    const expected = keccak256(bytesToHex(whole));
    for (const cuts of [[], [4], [0, 0, 136], [1, 135, 4096, 262_144]]) {
      const parts: Uint8Array[] = [];
      let at = 0;
      for (const cut of cuts) {
        parts.push(whole.subarray(at, at + cut));
        at += cut;
      }
      parts.push(whole.subarray(at));
      expect(bytesToHex(keccak256BulkParts(parts))).toBe(expected);
    }
    expect(bytesToHex(keccak256BulkParts([]))).toBe(keccak256('0x'));
  });
});
