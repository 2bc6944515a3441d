import { privateKeyFromRaw } from '@libp2p/crypto/keys';
import { peerIdFromPrivateKey } from '@libp2p/peer-id';
import { secp256k1 } from '@noble/curves/secp256k1.js';
import { describe, expect, it } from 'vitest';
import {
  CHUNK_SIZE_BYTES,
  chunkAt,
  decryptChunk,
  decryptShard,
  encryptChunk,
  encryptShard,
  GCM_TAG_BYTES,
  generateDatasetKey,
  peerIdFromPublicKey,
  publicKeyFromPeerId,
  unwrapDatasetKey,
  WRAPPED_KEY_BYTES,
  wrapDatasetKey,
} from '../../src/index.ts';

const root = `0x${'ab'.repeat(32)}` as const;
const otherRoot = `0x${'cd'.repeat(32)}` as const;

/** A shard whose chunks 0 and 1 are identical, full of a recognizable pattern. */
function patternedShard(): Uint8Array {
  const shard = new Uint8Array(2 * CHUNK_SIZE_BYTES + 500);
  const pattern = new TextEncoder().encode('PLAINTEXT-ROW;');
  for (let i = 0; i < shard.length; i++) shard[i] = pattern[(i % CHUNK_SIZE_BYTES) % pattern.length] as number;
  return shard;
}

/** Byte equality without vitest's element-by-element diff (slow on 100s of KiB). */
const sameBytes = (a: Uint8Array | undefined, b: Uint8Array | undefined) =>
  !!a && !!b && Buffer.from(a).equals(Buffer.from(b));

function contains(haystack: Uint8Array, needle: Uint8Array): boolean {
  return Buffer.from(haystack).includes(Buffer.from(needle));
}

describe('per-chunk AES-256-GCM', () => {
  const key = generateDatasetKey();
  const shard = patternedShard();

  it('round-trips a shard, adding only the tag per chunk', () => {
    const sealed = encryptShard(key, root, 4, shard);
    expect(sealed.map((c) => c.length)).toEqual([
      CHUNK_SIZE_BYTES + GCM_TAG_BYTES,
      CHUNK_SIZE_BYTES + GCM_TAG_BYTES,
      500 + GCM_TAG_BYTES,
    ]);
    expect(sameBytes(decryptShard(key, root, 4, sealed), shard)).toBe(true);
  });

  it('reveals nothing: no plaintext run in the ciphertext, equal chunks encrypt differently', () => {
    const sealed = encryptShard(key, root, 0, shard);
    expect(sameBytes(chunkAt(shard, 0), chunkAt(shard, 1))).toBe(true);
    expect(sameBytes(sealed[0], sealed[1])).toBe(false);
    const probe = chunkAt(shard, 0).subarray(100, 116);
    for (const chunk of sealed) expect(contains(chunk, probe)).toBe(false);
    expect(contains(shard, probe)).toBe(true); // the probe really is plaintext
  });

  it('fails with a wrong key, a wrong position or dataset, or one flipped bit', () => {
    const position = { datasetRoot: root, shardIndex: 1, chunkIndex: 2 };
    const sealed = encryptChunk(key, position, new Uint8Array([1, 2, 3]));
    const failed = expect.objectContaining({ code: 'DATA_DECRYPT_FAILED' });
    expect(decryptChunk(key, position, sealed)).toEqual(new Uint8Array([1, 2, 3]));
    expect(() => decryptChunk(generateDatasetKey(), position, sealed)).toThrow(failed);
    expect(() => decryptChunk(key, { ...position, chunkIndex: 3 }, sealed)).toThrow(failed);
    expect(() => decryptChunk(key, { ...position, shardIndex: 0 }, sealed)).toThrow(failed);
    expect(() => decryptChunk(key, { ...position, datasetRoot: otherRoot }, sealed)).toThrow(failed);
    const flipped = sealed.slice();
    flipped[0] = (flipped[0] as number) ^ 1;
    expect(() => decryptChunk(key, position, flipped)).toThrow(failed);
    expect(() => encryptChunk(new Uint8Array(16), position, sealed)).toThrow(
      expect.objectContaining({ code: 'DATA_KEY_INVALID' }),
    );
  });
});

describe('ECIES key wrapping to a worker', () => {
  const workerSecret = secp256k1.utils.randomSecretKey();
  const workerPublic = secp256k1.getPublicKey(workerSecret, true);
  const datasetKey = generateDatasetKey();

  it('wraps to a public key, opens with the private key, and differs on every wrap', () => {
    const wrapped = wrapDatasetKey(datasetKey, workerPublic, root);
    expect(wrapped).toHaveLength(WRAPPED_KEY_BYTES);
    expect(contains(wrapped, datasetKey)).toBe(false);
    expect(unwrapDatasetKey(wrapped, workerSecret, root)).toEqual(datasetKey);
    expect(wrapDatasetKey(datasetKey, workerPublic, root)).not.toEqual(wrapped);
    const uncompressed = secp256k1.getPublicKey(workerSecret, false);
    expect(unwrapDatasetKey(wrapDatasetKey(datasetKey, uncompressed, root), workerSecret, root)).toEqual(datasetKey);
  });

  it('does not open for another key, another dataset or a modified envelope', () => {
    const wrapped = wrapDatasetKey(datasetKey, workerPublic, root);
    const failed = expect.objectContaining({ code: 'DATA_KEY_UNWRAP_FAILED' });
    expect(() => unwrapDatasetKey(wrapped, secp256k1.utils.randomSecretKey(), root)).toThrow(failed);
    expect(() => unwrapDatasetKey(wrapped, workerSecret, otherRoot)).toThrow(failed);
    for (const at of [0, 5, 40, WRAPPED_KEY_BYTES - 1]) {
      const bad = wrapped.slice();
      bad[at] = (bad[at] as number) ^ 1;
      expect(() => unwrapDatasetKey(bad, workerSecret, root)).toThrow(failed);
    }
    expect(() => unwrapDatasetKey(wrapped.subarray(1), workerSecret, root)).toThrow(failed);
    expect(() => wrapDatasetKey(datasetKey, new Uint8Array(33), root)).toThrow(
      expect.objectContaining({ code: 'DATA_PUBLIC_KEY_INVALID' }),
    );
  });

  it('takes the worker public key from its libp2p PeerId', () => {
    const peerId = peerIdFromPrivateKey(privateKeyFromRaw(workerSecret)).toString();
    expect(peerId.startsWith('16Uiu2')).toBe(true);
    expect(publicKeyFromPeerId(peerId)).toEqual(workerPublic);
    expect(peerIdFromPublicKey(workerPublic)).toBe(peerId);
    const wrapped = wrapDatasetKey(datasetKey, publicKeyFromPeerId(peerId), root);
    expect(unwrapDatasetKey(wrapped, workerSecret, root)).toEqual(datasetKey);
    for (const bad of ['12D3KooWGzK3vTqjXkWpdVv2sDb2xHDmXmJyFE8Rk2JJ2qNcz6T1', 'not-a-peer-id', '']) {
      expect(() => publicKeyFromPeerId(bad)).toThrow(expect.objectContaining({ code: 'DATA_PEER_ID_UNSUPPORTED' }));
    }
  });
});
