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
  type KeyReleaseRequest,
  NO_JOB_ID,
  publicKeyFromPeerId,
  sealedOfResponse,
  unwrapDatasetKey,
} from '../../src/index.ts';

const root = `0x${'ab'.repeat(32)}` as Hex;

describe('chunk wire format (/aic/data-chunk/2.0.0)', () => {
  it('round-trips a request: uint32 id, 32-byte root and uint32 index, big-endian', () => {
    const bytes = encodeChunkRequest({ requestId: 0x0a0b0c0d, root, chunkIndex: 0x01020304 });
    expect(bytes.length).toBe(CHUNK_REQUEST_BYTES);
    expect([...bytes.subarray(0, 4)]).toEqual([10, 11, 12, 13]);
    expect([...bytes.subarray(36)]).toEqual([1, 2, 3, 4]);
    expect(decodeChunkRequest(bytes)).toEqual({ requestId: 0x0a0b0c0d, root, chunkIndex: 0x01020304 });
  });

  it('refuses bad requests with a typed error, and decodes only exact-size frames', () => {
    const bad = [
      { requestId: 0, root: '0x12' as Hex, chunkIndex: 0 },
      { requestId: 0, root, chunkIndex: -1 },
      { requestId: 0, root, chunkIndex: 2 ** 32 },
      { requestId: 2 ** 32, root, chunkIndex: 0 },
      { requestId: 1.5, root, chunkIndex: 0 },
    ];
    for (const request of bad) {
      expect(() => encodeChunkRequest(request)).toThrow(
        expect.objectContaining({ code: 'DATA_CHUNK_REQUEST_INVALID' }),
      );
    }
    expect(decodeChunkRequest(new Uint8Array(39))).toBeUndefined();
    expect(decodeChunkRequest(new Uint8Array(41))).toBeUndefined();
  });

  it('decodes answers tagged with their request id: the sealed chunk, or a typed refusal', () => {
    const sealed = Uint8Array.of(9, 8, 7);
    const ok = decodeChunkResponse(encodeChunkResponse(77, ChunkStatus.ok, sealed));
    expect(ok).toMatchObject({ requestId: 77, status: ChunkStatus.ok });
    expect(sealedOfResponse(ok)).toEqual(sealed);
    expect(() => sealedOfResponse(decodeChunkResponse(encodeChunkResponse(3, ChunkStatus.notFound)))).toThrow(
      expect.objectContaining({ code: 'DATA_CHUNK_NOT_FOUND' }),
    );
    const malformed = [
      new Uint8Array(0),
      new Uint8Array(4),
      encodeChunkResponse(1, ChunkStatus.ok),
      Uint8Array.of(0, 0, 0, 1, 7, 1),
    ];
    for (const bad of malformed) {
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
    createKeyReleaseHandler({ datasets, mayRelease: paid })(request, { peer });

  it('wraps the key to the requesting peer only when the release rule allows it for that job', async () => {
    const seen: KeyReleaseRequest[] = [];
    const answer = await ask(async () => true, { datasetId: '7', workerPublicKey });
    expect(unwrapDatasetKey(answer.wrappedKey, workerSecret, root)).toEqual(key);
    const jobId = `0x${'5a'.repeat(32)}` as Hex;
    const handler = createKeyReleaseHandler({
      datasets,
      mayRelease: async (request) => {
        seen.push(request);
        return false;
      },
    });
    await handler({ datasetId: '7', jobId, workerPublicKey }, { peer }).catch(() => undefined);
    await handler({ datasetId: '7', workerPublicKey }, { peer }).catch(() => undefined);
    expect(seen).toHaveLength(2);
    // the worker is the authenticated peer's address, the job id the request's (zero when not for a job)
    expect(seen[0]).toEqual({ datasetId: '7', worker: expect.stringMatching(/^0x[0-9a-fA-F]{40}$/), jobId });
    expect(seen[1]?.jobId).toBe(NO_JOB_ID);
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
