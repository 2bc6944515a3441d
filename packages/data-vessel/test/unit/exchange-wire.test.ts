import { peerIdFromPrivateKey } from '@aic/network';
import { secp256k1 } from '@noble/curves/secp256k1.js';
import { describe, expect, it } from 'vitest';
import {
  CHUNK_REQUEST_BYTES,
  ChunkStatus,
  createKeyReleaseHandler,
  decodeChunkRequest,
  decodeChunkResponse,
  encodeChunkRequest,
  encodeChunkResponse,
  generateDatasetKey,
  type Hex,
  publicKeyFromPeerId,
  unwrapDatasetKey,
} from '../../src/index.ts';

const root = `0x${'ab'.repeat(32)}` as Hex;

describe('chunk wire format', () => {
  it('round-trips a request: 32-byte root and big-endian uint32 index', () => {
    const bytes = encodeChunkRequest(root, 0x01020304);
    expect(bytes.length).toBe(CHUNK_REQUEST_BYTES);
    expect([...bytes.subarray(32)]).toEqual([1, 2, 3, 4]);
    expect(decodeChunkRequest(bytes)).toEqual({ root, chunkIndex: 0x01020304 });
  });

  it('refuses bad requests and answers without throwing on the server side', () => {
    expect(() => encodeChunkRequest('0x12' as Hex, 0)).toThrow(
      expect.objectContaining({ code: 'DATA_CHUNK_REQUEST_INVALID' }),
    );
    expect(() => encodeChunkRequest(root, -1)).toThrow(expect.objectContaining({ code: 'DATA_CHUNK_REQUEST_INVALID' }));
    expect(() => encodeChunkRequest(root, 2 ** 32)).toThrow(
      expect.objectContaining({ code: 'DATA_CHUNK_REQUEST_INVALID' }),
    );
    expect(decodeChunkRequest(new Uint8Array(35))).toBeUndefined();
    expect(decodeChunkRequest(new Uint8Array(37))).toBeUndefined();
  });

  it('decodes answers: the sealed chunk, or a typed refusal', () => {
    const sealed = Uint8Array.of(9, 8, 7);
    expect(decodeChunkResponse(encodeChunkResponse(ChunkStatus.ok, sealed))).toEqual(sealed);
    expect(() => decodeChunkResponse(encodeChunkResponse(ChunkStatus.notFound))).toThrow(
      expect.objectContaining({ code: 'DATA_CHUNK_NOT_FOUND' }),
    );
    for (const bad of [new Uint8Array(0), encodeChunkResponse(ChunkStatus.ok), Uint8Array.of(7, 1)]) {
      expect(() => decodeChunkResponse(bad)).toThrow(expect.objectContaining({ code: 'DATA_CHUNK_RESPONSE_INVALID' }));
    }
  });
});

describe('key release handler', () => {
  const workerSecret = secp256k1.utils.randomSecretKey();
  const peer = peerIdFromPrivateKey(workerSecret);
  const workerPublicKey = publicKeyFromPeerId(peer.toString());
  const key = generateDatasetKey();
  const datasets = new Map([['7', { datasetRoot: root, key }]]);
  const ask = (paid: () => Promise<boolean>, request: { datasetId: string; workerPublicKey: Uint8Array }) =>
    createKeyReleaseHandler({ datasets, hasPaidRight: paid })(request, { peer });

  it('wraps the key to the requesting peer only when the ledger shows a paid right', async () => {
    const seen: string[] = [];
    const answer = await ask(async () => true, { datasetId: '7', workerPublicKey });
    expect(unwrapDatasetKey(answer.wrappedKey, workerSecret, root)).toEqual(key);
    await createKeyReleaseHandler({
      datasets,
      hasPaidRight: async (id, worker) => {
        seen.push(`${id}:${worker}`);
        return false;
      },
    })({ datasetId: '7', workerPublicKey }, { peer }).catch(() => undefined);
    expect(seen).toHaveLength(1);
    expect(seen[0]).toMatch(/^7:0x[0-9a-fA-F]{40}$/);
  });

  it('refuses with typed codes', async () => {
    const other = secp256k1.getPublicKey(secp256k1.utils.randomSecretKey(), true);
    await expect(ask(async () => false, { datasetId: '7', workerPublicKey })).rejects.toMatchObject({
      code: 'DATA_KEY_UNPAID',
    });
    await expect(ask(async () => true, { datasetId: '8', workerPublicKey })).rejects.toMatchObject({
      code: 'DATA_KEY_UNKNOWN_DATASET',
    });
    await expect(ask(async () => true, { datasetId: '7', workerPublicKey: other })).rejects.toMatchObject({
      code: 'DATA_KEY_REQUEST_INVALID',
    });
    await expect(ask(async () => true, { datasetId: '7', workerPublicKey: Uint8Array.of(1) })).rejects.toMatchObject({
      code: 'DATA_KEY_REQUEST_INVALID',
    });
    await expect(
      ask(() => Promise.reject(new Error('rpc down')), { datasetId: '7', workerPublicKey }),
    ).rejects.toMatchObject({ code: 'DATA_KEY_RIGHT_UNVERIFIED' });
  });
});
