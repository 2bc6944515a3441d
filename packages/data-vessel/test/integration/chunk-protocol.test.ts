import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type AicNetwork, createAicNetwork } from '@aic/network';
import { lpStream } from '@libp2p/utils';
import { secp256k1 } from '@noble/curves/secp256k1.js';
import { afterAll, describe, expect, it } from 'vitest';
import {
  CHUNK_SIZE_BYTES,
  ChunkStatus,
  createShardCache,
  createTransferMeter,
  DATA_CHUNK_PROTOCOL,
  decodeChunkResponse,
  encodeChunkRequest,
  encryptShard,
  fetchSealedChunk,
  generateDatasetKey,
  type Hex,
  loadShard,
  MAX_CHUNK_RESPONSE_BYTES,
  remoteChunkSources,
  sealedChunkStore,
  serveDataset,
  shardRoot,
} from '../../src/index.ts';

const started: AicNetwork[] = [];
const cleanups: (() => Promise<unknown>)[] = [];
afterAll(async () => {
  await Promise.all(started.map((n) => n.stop()));
  await Promise.all(cleanups.map((c) => c()));
});

async function startNode(): Promise<AicNetwork> {
  const privateKey = secp256k1.utils.randomSecretKey();
  const net = await createAicNetwork({ privateKey, listen: ['/ip4/127.0.0.1/tcp/0'], targetPeers: 0 });
  await net.start();
  started.push(net);
  return net;
}

// A shard of 2.5 chunks, so that chunks travel in parallel and the last one is short.
const shard = new Uint8Array(randomBytes(2 * CHUNK_SIZE_BYTES + CHUNK_SIZE_BYTES / 2));
const root = shardRoot(shard);
const datasetRoot = `0x${'11'.repeat(32)}` as Hex;
const key = generateDatasetKey();
const sealed = encryptShard(key, datasetRoot, 0, shard);
const manifest = { shards: [{ root }] };

describe('/aic/data-chunk/2.0.0 between real nodes', () => {
  it('survives hostile requests, refetches a tampered chunk and skips a dead holder', async () => {
    const [owner, mirror, worker, gone] = await Promise.all([startNode(), startNode(), startNode(), startNode()]);
    await serveDataset(owner, sealedChunkStore(manifest, [sealed]));
    await serveDataset(mirror, {
      get: (r, i) => {
        const chunk = sealedChunkStore(manifest, [sealed]).get(r, i) as Uint8Array | undefined;
        if (i !== 1 || !chunk) return chunk;
        const tampered = chunk.slice();
        tampered[100] = (tampered[100] as number) ^ 1; // only chunk 1 is bad
        return tampered;
      },
    });
    const [ownerAt, mirrorAt, goneAt] = [owner, mirror, gone].map((n) => n.libp2p.getMultiaddrs()[0]);
    if (!ownerAt || !mirrorAt || !goneAt) throw new Error('nodes are not listening');
    await gone.stop(); // a holder that went away: its address refuses connections

    // Hostile input: a short request or an oversized one only kills its own stream; the server keeps serving.
    const raw = async (bytes: Uint8Array) => {
      const stream = await worker.libp2p.dialProtocol(ownerAt, DATA_CHUNK_PROTOCOL);
      const lp = lpStream(stream, { maxDataLength: MAX_CHUNK_RESPONSE_BYTES });
      await lp.write(bytes);
      return (await lp.read({ signal: AbortSignal.timeout(5_000) })).subarray();
    };
    await expect(raw(new Uint8Array(35))).rejects.toThrow();
    await expect(raw(new Uint8Array(10_000))).rejects.toThrow();
    const answer = decodeChunkResponse(await raw(encodeChunkRequest({ requestId: 9, root, chunkIndex: 0 })));
    expect(answer).toMatchObject({ requestId: 9, status: ChunkStatus.ok });
    await expect(fetchSealedChunk(worker, ownerAt, `0x${'00'.repeat(32)}`, 0)).rejects.toMatchObject({
      code: 'DATA_CHUNK_NOT_FOUND',
    });
    await expect(fetchSealedChunk(worker, ownerAt, root, 3)).rejects.toMatchObject({ code: 'DATA_CHUNK_NOT_FOUND' });
    await expect(fetchSealedChunk(worker, goneAt, root, 0)).rejects.toMatchObject({ code: 'DATA_CHUNK_FETCH_FAILED' });
    expect(await fetchSealedChunk(worker, ownerAt, root, 2)).toEqual(sealed[2]); // the server is still up

    const cacheDir = await mkdtemp(join(tmpdir(), 'aic-chunks-'));
    cleanups.push(() => rm(cacheDir, { recursive: true, force: true }));
    const cache = await createShardCache({ dir: cacheDir, maxBytes: 4 * CHUNK_SIZE_BYTES });
    const meter = createTransferMeter();
    const sources = remoteChunkSources(worker, [goneAt, mirrorAt, ownerAt], { key, datasetRoot, shardIndex: 0, meter });
    const loaded = await loadShard({ root, byteLength: shard.length }, cache, sources);
    expect(Buffer.from(loaded.bytes).equals(Buffer.from(shard))).toBe(true);
    // 3 chunks from the mirror (1 rejected) + chunk 1 again from the owner
    expect(meter).toMatchObject({ chunks: 4, rejected: 1 });
    expect(loaded.bytesFetched).toBe(shard.length); // plaintext bytes of the accepted chunks
  }, 30_000);
});
