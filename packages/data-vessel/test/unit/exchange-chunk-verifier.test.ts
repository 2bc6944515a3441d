import { Uint8ArrayList } from 'uint8arraylist';
import { afterEach, describe, expect, it } from 'vitest';
import { chunkLeaf, shardRoot, shardRootOfLeaves } from '../../src/commitments/index.ts';
import {
  type ChunkVerifier,
  createChunkVerifier,
  InThreadVerifier,
  VERIFY_WORKER_MIN_BYTES,
  WorkerVerifier,
} from '../../src/exchange/chunk-verifier.ts';
import { CHUNK_SIZE_BYTES, encryptChunk, generateDatasetKey, type Hex } from '../../src/index.ts';

const datasetRoot = `0x${'ab'.repeat(32)}` as Hex;
const key = generateDatasetKey();
// Two full chunks and a short last one, as a shard of the fetch path.
const shard = Uint8Array.from({ length: 2 * CHUNK_SIZE_BYTES + 1000 }, (_, i) => (i * 31 + (i >> 9)) & 0xff);
const shardIndex = 3;
const chunks = [0, 1, 2].map((i) =>
  shard.subarray(i * CHUNK_SIZE_BYTES, Math.min(shard.length, (i + 1) * CHUNK_SIZE_BYTES)),
);
const positionOf = (chunkIndex: number) => ({ datasetRoot, shardIndex, chunkIndex });
const sealedOf = (i: number) => encryptChunk(key, positionOf(i), chunks[i] as Uint8Array);
const placementOf = (i: number) => ({
  position: positionOf(i),
  offset: i * CHUNK_SIZE_BYTES,
  expectedLength: (chunks[i] as Uint8Array).length,
  shardLength: shard.length,
});

/** The bytes cut into pieces the way a stream delivers them. */
function inPieces(bytes: Uint8Array, size = 65_519): Uint8ArrayList {
  const list = new Uint8ArrayList();
  for (let at = 0; at < bytes.length; at += size) list.append(bytes.slice(at, at + size));
  return list;
}

const open: ChunkVerifier[] = [];
afterEach(async () => {
  await Promise.all(open.splice(0).map((v) => v.close()));
});

describe.each([
  ['in a worker thread', () => new WorkerVerifier(key)],
  ['in the calling thread', () => new InThreadVerifier(key)],
])('chunk checks %s', (_, make) => {
  const start = () => {
    const verifier = make();
    open.push(verifier);
    return verifier;
  };

  it('opens chunks from several lanes into their shard, with each leaf as chunkLeaf computes it', async () => {
    const verifier = start();
    // One chunk in flight per lane (as the fetch's lanes do): each lane's slot holds one answer at a time.
    const order = [2, 0, 1];
    const verdicts = await Promise.all(order.map((i) => verifier.lane().open(placementOf(i), inPieces(sealedOf(i)))));
    const leaves = [1, 2, 0].map((n) => verdicts[n]?.leaf as Uint8Array); // back in chunk order
    leaves.forEach((leaf, i) => {
      expect(Buffer.from(leaf).equals(Buffer.from(chunkLeaf(i, chunks[i] as Uint8Array)))).toBe(true);
    });
    expect(shardRootOfLeaves(leaves)).toBe(shardRoot(shard));
    const taken = await verifier.take(shardIndex);
    expect(Buffer.from(taken).equals(Buffer.from(shard))).toBe(true);
    expect((await verifier.take(shardIndex)).length).toBe(0); // handed over: the verifier forgot it
  });

  it('refuses a tampered, moved or foreign chunk and one of the wrong length; a good copy then overwrites it', async () => {
    const verifier = start();
    const lane = verifier.lane();
    const tampered = sealedOf(1);
    tampered[5] = (tampered[5] as number) ^ 1;
    expect(await lane.open(placementOf(1), inPieces(tampered))).toEqual({ failure: 'chunk-auth-failed' });
    expect(await lane.open(placementOf(1), inPieces(sealedOf(0)))).toEqual({ failure: 'chunk-auth-failed' });
    const foreign = encryptChunk(generateDatasetKey(), positionOf(1), chunks[1] as Uint8Array);
    expect(await lane.open(placementOf(1), inPieces(foreign))).toEqual({ failure: 'chunk-auth-failed' });
    const short = encryptChunk(key, positionOf(1), new Uint8Array(100));
    expect(await lane.open(placementOf(1), inPieces(short))).toEqual({ failure: 'chunk-length-mismatch' });
    expect(await lane.open(placementOf(1), inPieces(new Uint8Array(300_000)))).toMatchObject({
      failure: expect.any(String),
    });
    for (const i of [0, 1, 2]) expect((await lane.open(placementOf(i), inPieces(sealedOf(i)))).failure).toBeUndefined();
    expect(Buffer.from(await verifier.take(shardIndex)).equals(Buffer.from(shard))).toBe(true);
  });

  it('rejects every request once closed, with a typed error (worker) or forgets its shards (in thread)', async () => {
    const verifier = start();
    await verifier.close();
    if (verifier instanceof WorkerVerifier) {
      await expect(verifier.lane().open(placementOf(0), inPieces(sealedOf(0)))).rejects.toMatchObject({
        code: 'DATA_CHUNK_FETCH_FAILED',
      });
    } else {
      expect((await verifier.take(shardIndex)).length).toBe(0);
    }
  });
});

describe('choosing where chunks are checked', () => {
  it('uses the worker thread for bulk fetches and the calling thread for small ones', async () => {
    const bulk = createChunkVerifier(key, VERIFY_WORKER_MIN_BYTES);
    const small = createChunkVerifier(key, VERIFY_WORKER_MIN_BYTES - 1);
    open.push(bulk, small);
    expect(bulk).toBeInstanceOf(WorkerVerifier);
    expect(small).toBeInstanceOf(InThreadVerifier);
  });
});
