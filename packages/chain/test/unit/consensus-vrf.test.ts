import { isAicError } from '@aic/core';
import { p256 } from '@noble/curves/nist.js';
import { secp256k1 } from '@noble/curves/secp256k1.js';
import fc from 'fast-check';
import { bytesToHex, hexToBytes } from 'viem';
import { describe, expect, it } from 'vitest';
import {
  type EcvrfSuite,
  encodeToCurveTai,
  vrfProofToHash,
  vrfProve,
  vrfPublicKey,
  vrfVerify,
} from '../../src/consensus/vrf.ts';

const ascii = (text: string) => new TextEncoder().encode(text);
const hex = (bytes: Uint8Array) => bytesToHex(bytes).slice(2);
const P256_SHA256_TAI: EcvrfSuite = { suite: 0x01, Point: p256.Point };

function expectCode(fn: () => unknown, code: string): void {
  try {
    fn();
  } catch (error) {
    expect(isAicError(error, code), `${String(error)}`).toBe(true);
    return;
  }
  throw new Error(`expected ${code}, nothing was thrown`);
}

describe('ECVRF-P256-SHA256-TAI (the same code, RFC 9381 Appendix B.1 vectors)', () => {
  const sk1 = hexToBytes('0xc9afa9d845ba75166b5c215767b1d6934e50c3db36e89b127b8a622b120f6721');
  const sk3 = hexToBytes('0x2ca1411a41b17b24cc8c3b089cfd033f1920202a6c0de8abb97df1498d50d2c8');
  const vectors = [
    {
      sk: sk1,
      alpha: ascii('sample'),
      pi: '035b5c726e8c0e2c488a107c600578ee75cb702343c153cb1eb8dec77f4b5071b4a53f0a46f018bc2c56e58d383f2305e0975972c26feea0eb122fe7893c15af376b33edf7de17c6ea056d4d82de6bc02f',
      beta: 'a3ad7b0ef73d8fc6655053ea22f9bede8c743f08bbed3d38821f0e16474b505e',
    },
    {
      sk: sk1,
      alpha: ascii('test'),
      pi: '034dac60aba508ba0c01aa9be80377ebd7562c4a52d74722e0abae7dc3080ddb56c19e067b15a8a8174905b13617804534214f935b94c2287f797e393eb0816969d864f37625b443f30f1a5a33f2b3c854',
      beta: 'a284f94ceec2ff4b3794629da7cbafa49121972671b466cab4ce170aa365f26d',
    },
    {
      sk: sk3,
      alpha: ascii('Example using ECDSA key from Appendix L.4.2 of ANSI.X9-62-2005'),
      pi: '03d03398bf53aa23831d7d1b2937e005fb0062cbefa06796579f2a1fc7e7b8c667d091c00b0f5c3619d10ecea44363b5a599cadc5b2957e223fec62e81f7b4825fc799a771a3d7334b9186bdbee87316b1',
      beta: '90871e06da5caa39a3c61578ebb844de8635e27ac0b13e829997d0d95dd98c19',
    },
  ];
  it.each(vectors.map((v, i) => [i, v] as const))('vector %i: proof and output match the RFC', (_i, v) => {
    const pi = vrfProve(v.sk, v.alpha, P256_SHA256_TAI);
    expect(hex(pi)).toBe(v.pi);
    expect(hex(vrfVerify(p256.getPublicKey(v.sk), v.alpha, pi, P256_SHA256_TAI))).toBe(v.beta);
    expect(hex(vrfProofToHash(pi, P256_SHA256_TAI))).toBe(v.beta);
  });
});

describe('ECVRF-SECP256K1-SHA256-TAI', () => {
  // Cross-implementation vectors: the same values witnet/vrf-rs's Secp256k1Sha256 suite pins (independent code).
  it('matches an independent implementation (encode_to_curve, prove, verify)', () => {
    const pk = hexToBytes('0x032c8c31fc9f990c6b55e3865a184a4ce50e09481f2eaeb3e60ec1cea13a6ae645');
    const h = encodeToCurveTai({ suite: 0xfe, Point: secp256k1.Point }, pk, ascii('sample'));
    expect(hex(h.toBytes(true))).toBe('0221ceb1ce22cd34d8b73a619164ed64e917ca31fd454075d02e4bdfa9c5ce0b48');
    const pi = hexToBytes(
      '0x0338ec99b5d0f94ebcc2c704c04af3de8b4289df8798e5fb9f920d7f5d77ac03d7718b9677d1c9348649ac2ec4f7ecbe519b30dd10c4eb5efc21dd5944709f2f3b7e97a25f6f095334593502d05103bc5b',
    );
    expect(hex(vrfVerify(pk, ascii('sample'), pi))).toBe(
      'd466c22e14dc3b7fd169668dd3ee9ac6351429a24aebc5e8af61a0f0de89b65a',
    );
    const skMax = hexToBytes('0xfffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364140');
    expect(hex(vrfProve(skMax, ascii('sample')))).toBe(
      '03cc8a4f11c8dde5cbaad50f523c43389aa9eb407288570cf2bcd2e524ac0cbf88123d52707735b2ecff030dbdd71ac3a20166e4fb77f254dae61c6a35c694e539ae2d51e2ffce166cc455386aadb28bad',
    );
  });

  it('pins the derived vectors (key 1, empty alpha; key c9af…, "test")', () => {
    const one = hexToBytes(`0x${'00'.repeat(31)}01`);
    expect(hex(vrfPublicKey(one))).toBe('0279be667ef9dcbbac55a06295ce870b07029bfcdb2dce28d959f2815b16f81798');
    const pi1 = vrfProve(one, new Uint8Array());
    expect(hex(pi1)).toBe(
      '024192220588c4ef502f5d2ab75552edfbe0256cebb0424efb9c4c58f438c3dcb43740e701a78589f13a3577908db37b1ddb55edaf0706552da59a41b69be3740878407cf6d13675cd94802a33b5e629f7',
    );
    expect(hex(vrfProofToHash(pi1))).toBe('6bf7eda22a89f87fb8c8e17fa111727ca02d0a23db29fdcbe7ac84280e8bde24');
    const sk = hexToBytes('0xc9afa9d845ba75166b5c215767b1d6934e50c3db36e89b127b8a622b120f6721');
    expect(hex(vrfProve(sk, ascii('test')))).toBe(
      '020ead2dc62f604a6ae2003b6c3012cf7ce2988dedf7606110e66edd5bb7f4b17bec303fd0bff5bfdff67ff6e4b6d4775d9efbe999f4d2467b61ab58659b6385c1a6c55fe84d1bb56c70152856a641364f',
    );
  });

  const sk = hexToBytes('0xc9afa9d845ba75166b5c215767b1d6934e50c3db36e89b127b8a622b120f6721');
  const pk = vrfPublicKey(sk);
  const alpha = ascii('slot 7');
  const proof = vrfProve(sk, alpha);

  it('rejects a proof for another alpha, under another key, or with any byte flipped', () => {
    expectCode(() => vrfVerify(pk, ascii('slot 8'), proof), 'CHAIN_VRF_INVALID_PROOF');
    const otherPk = vrfPublicKey(hexToBytes(`0x${'11'.repeat(32)}`));
    expectCode(() => vrfVerify(otherPk, alpha, proof), 'CHAIN_VRF_INVALID_PROOF');
    for (const index of [0, 1, 20, 33, 40, 48, 49, 60, 80]) {
      const tampered = proof.slice();
      tampered[index] = (tampered[index] ?? 0) ^ 0x01;
      expectCode(() => vrfVerify(pk, alpha, tampered), 'CHAIN_VRF_INVALID_PROOF');
    }
  });

  it('rejects malformed keys and proofs with typed errors', () => {
    expectCode(() => vrfVerify(new Uint8Array(33), alpha, proof), 'CHAIN_VRF_INVALID_KEY');
    expectCode(() => vrfVerify(pk, alpha, proof.subarray(0, 80)), 'CHAIN_VRF_INVALID_PROOF');
    const highS = proof.slice();
    highS.fill(0xff, 49);
    expectCode(() => vrfVerify(pk, alpha, highS), 'CHAIN_VRF_INVALID_PROOF');
    expectCode(() => vrfProve(new Uint8Array(32), alpha), 'CHAIN_VRF_INVALID_KEY');
    expectCode(() => vrfProve(new Uint8Array(31).fill(1), alpha), 'CHAIN_VRF_INVALID_KEY');
  });

  it('property: prove/verify round-trips, output is deterministic and differs across alphas', () => {
    fc.assert(
      fc.property(
        fc.uint8Array({ minLength: 32, maxLength: 32 }).filter((k) => secp256k1.utils.isValidSecretKey(k)),
        fc.uint8Array({ maxLength: 64 }),
        (key, message) => {
          const pi = vrfProve(key, message);
          const beta = vrfVerify(vrfPublicKey(key), message, pi);
          expect(beta).toEqual(vrfProofToHash(pi));
          expect(vrfProve(key, message)).toEqual(pi);
          const other = Uint8Array.of(...message, 0);
          expect(vrfProofToHash(vrfProve(key, other))).not.toEqual(beta);
        },
      ),
      { numRuns: 12, seed: 17 },
    );
  });
});
