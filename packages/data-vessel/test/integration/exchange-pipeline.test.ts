import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { lpStream } from '@libp2p/utils';
import { afterAll, describe, expect, it } from 'vitest';
import {
  CHUNK_SERVER_LIMITS,
  createShardCache,
  createTransferMeter,
  DATA_CHUNK_PROTOCOL,
  encodeChunkRequest,
  encryptChunk,
  fetchDataset,
  type Hex,
  manifestFileBytes,
  openChunkSession,
  type SealedChunkStore,
  sealedChunkStore,
  serveDataset,
} from '../../src/index.ts';
import { addressOf, gate, multiChunkDataset, nodeStarter } from '../helpers/exchange-fixtures.ts';

const nodes = nodeStarter();
const cleanups: (() => Promise<unknown>)[] = [];
afterAll(async () => {
  await nodes.stopAll();
  await Promise.all(cleanups.map((c) => c()));
});

async function freshCache() {
  const dir = await mkdtemp(join(tmpdir(), 'aic-exchange-'));
  cleanups.push(() => rm(dir, { recursive: true, force: true }));
  return createShardCache({ dir, maxBytes: 64 << 20 });
}

const dataset = multiChunkDataset();
const honest = sealedChunkStore(dataset.manifest, dataset.sealed);
const totalChunks = dataset.sealed.flat().length;
const sealedBytes = dataset.sealed.flat().reduce((n, c) => n + c.length, 0);
const manifestText = new TextDecoder().decode(manifestFileBytes(dataset.manifest));
const fetchInit = { manifest: manifestText, committedRoot: dataset.datasetRoot, key: dataset.key };

describe('/aic/data-chunk/2.0.0: many requests on one stream', () => {
  it('keeps a whole window in flight on a single stream and matches answers by id', async () => {
    const [holder, worker] = await Promise.all([nodes.start(), nodes.start()]);
    const window = CHUNK_SERVER_LIMITS.maxInFlightPerStream;
    // The holder answers nothing until a whole window of requests has arrived: only pipelining gets past this.
    const full = gate();
    let asked = 0;
    await serveDataset(holder, {
      async get(root, index) {
        if (++asked >= window) full.open();
        await full.opened;
        return honest.get(root, index);
      },
    });
    const root = dataset.manifest.shards[0]?.root as Hex;
    const chunks = dataset.sealed[0]?.length ?? 0;
    const session = await openChunkSession(worker, addressOf(holder), { window });
    const indexes = Array.from({ length: window }, (_, i) => i % chunks);
    const answers = await Promise.all(indexes.map((i) => session.fetch(root, i)));
    const same = (a: Uint8Array, b: Uint8Array | undefined) => b !== undefined && Buffer.from(a).equals(Buffer.from(b));
    expect(answers.every((sealed, i) => same(sealed, dataset.sealed[0]?.[indexes[i] as number]))).toBe(true);
    const [connection] = worker.libp2p.getConnections(holder.peerId);
    expect(connection?.streams.filter((s) => s.protocol === DATA_CHUNK_PROTOCOL)).toHaveLength(1);
    await expect(session.fetch(root, chunks + 5)).rejects.toMatchObject({ code: 'DATA_CHUNK_NOT_FOUND' });
    expect(same(await session.fetch(root, 0), dataset.sealed[0]?.[0])).toBe(true); // a refusal leaves it usable
    await session.close();
  }, 30_000);

  it('ends only the stream that overruns its window or sends garbage; the holder keeps serving', async () => {
    const [holder, worker] = await Promise.all([nodes.start(), nodes.start()]);
    const never = gate(); // this holder's store never answers the abusive stream
    let stall = true;
    await serveDataset(holder, {
      async get(root, index) {
        if (stall) await never.opened;
        return honest.get(root, index);
      },
    });
    const root = dataset.manifest.shards[0]?.root as Hex;
    const rawStream = async () => {
      const stream = await worker.libp2p.dialProtocol(addressOf(holder), DATA_CHUNK_PROTOCOL);
      return { stream, lp: lpStream(stream) };
    };
    const overrun = await rawStream();
    for (let id = 0; id <= CHUNK_SERVER_LIMITS.maxInFlightPerStream; id++) {
      await overrun.lp.write(encodeChunkRequest({ requestId: id, root, chunkIndex: 0 }));
    }
    await expect(overrun.lp.read({ signal: AbortSignal.timeout(10_000) })).rejects.toThrow();
    const garbage = await rawStream();
    await garbage.lp.write(new Uint8Array(7));
    await expect(garbage.lp.read({ signal: AbortSignal.timeout(10_000) })).rejects.toThrow();

    stall = false;
    const session = await openChunkSession(worker, addressOf(holder));
    const second = dataset.sealed[0]?.[1] as Uint8Array;
    expect(Buffer.from(await session.fetch(root, 1)).equals(Buffer.from(second))).toBe(true);
    await session.close();
  }, 30_000);
});

describe('fetchDataset over several holders', () => {
  it('spreads chunks over the holders, refetches a tampered chunk elsewhere and reports the liar', async () => {
    const [a, b, liar, worker] = await Promise.all([nodes.start(), nodes.start(), nodes.start(), nodes.start()]);
    // Honest holders answer only after the liar was asked, so the liar is met whatever the timing.
    const liarAsked = gate();
    const gated: SealedChunkStore = {
      async get(root, index) {
        await liarAsked.opened;
        return honest.get(root, index);
      },
    };
    await Promise.all([serveDataset(a, gated), serveDataset(b, gated)]);
    await serveDataset(liar, {
      async get(root, index) {
        liarAsked.open();
        const chunk = await honest.get(root, index);
        const tampered = chunk?.slice();
        if (tampered) tampered[7] = (tampered[7] as number) ^ 0x01;
        return tampered;
      },
    });
    const reported: string[] = [];
    const penalized: string[] = [];
    worker.addEventListener('peer:penalized', (e) => penalized.push(e.detail.peerId));
    const meter = createTransferMeter();
    const fetched = await fetchDataset(worker, {
      ...fetchInit,
      holders: [liar, a, b].map(addressOf),
      cache: await freshCache(),
      meter,
      onBadHolder: (holder, reason) => reported.push(`${holder}:${reason}`),
    });
    fetched.shards.forEach((bytes, i) => {
      expect(Buffer.from(bytes).equals(Buffer.from(dataset.shards[i] as Uint8Array))).toBe(true);
    });
    expect(reported).toEqual([`${liar.peerId.toString()}:chunk-auth-failed`]);
    expect(penalized).toEqual([liar.peerId.toString()]);
    expect(worker.peerScores().find((p) => p.peerId === liar.peerId.toString())?.score).toBeLessThan(0);
    // every chunk accepted once; the liar's answers were counted and rejected
    expect(meter.chunks).toBe(totalChunks + meter.rejected);
    expect(meter.rejected).toBeGreaterThanOrEqual(1);
    const fromHonest = (meter.byHolder.get(a.peerId.toString()) ?? 0) + (meter.byHolder.get(b.peerId.toString()) ?? 0);
    expect(fromHonest).toBe(sealedBytes);
    expect(fetched.holders).not.toContain(liar.peerId.toString());
    expect(fetched.bytesFetched).toBe(dataset.shards.reduce((n, s) => n + s.length, 0));
  }, 60_000);

  it('finds a key holder forging chunks that pass GCM by the shard root, and fetches them elsewhere', async () => {
    const [honestNode, forger, worker] = await Promise.all([nodes.start(), nodes.start(), nodes.start()]);
    const forgerAsked = gate();
    await serveDataset(honestNode, {
      async get(root, index) {
        await forgerAsked.opened;
        return honest.get(root, index);
      },
    });
    // The forger knows the key: its chunk 0 of every shard is re-encrypted garbage at the right position.
    await serveDataset(forger, {
      get(root, index) {
        forgerAsked.open();
        const shardIndex = dataset.manifest.shards.findIndex((s) => s.root === root);
        const chunk = honest.get(root, index) as Uint8Array | undefined;
        if (!chunk || index !== 0) return chunk;
        const position = { datasetRoot: dataset.datasetRoot, shardIndex, chunkIndex: 0 };
        return encryptChunk(dataset.key, position, new Uint8Array(chunk.length - 16).fill(0x5a));
      },
    });
    const reported: string[] = [];
    const fetched = await fetchDataset(worker, {
      ...fetchInit,
      holders: [forger, honestNode].map(addressOf),
      cache: await freshCache(),
      onBadHolder: (holder, reason) => reported.push(`${holder}:${reason}`),
    });
    fetched.shards.forEach((bytes, i) => {
      expect(Buffer.from(bytes).equals(Buffer.from(dataset.shards[i] as Uint8Array))).toBe(true);
    });
    expect(reported).toEqual([`${forger.peerId.toString()}:shard-root-mismatch`]);
  }, 60_000);

  it('stops when its signal aborts, with a typed error', async () => {
    const [stalling, worker] = await Promise.all([nodes.start(), nodes.start()]);
    const controller = new AbortController();
    const never = gate();
    await serveDataset(stalling, {
      async get() {
        controller.abort(); // the fetch is underway: cancel it
        await never.opened;
        return undefined;
      },
    });
    await expect(
      fetchDataset(worker, {
        ...fetchInit,
        holders: [addressOf(stalling)],
        cache: await freshCache(),
        signal: controller.signal,
      }),
    ).rejects.toMatchObject({ code: 'DATA_CHUNK_FETCH_FAILED' });
  }, 30_000);

  it('takes the share of a dead holder and of one missing chunks; fails typed when nobody has a chunk', async () => {
    const [owner, partial, gone, worker] = await Promise.all([
      nodes.start(),
      nodes.start(),
      nodes.start(),
      nodes.start(),
    ]);
    await serveDataset(owner, honest);
    // A replica that holds only even chunks answers notFound for the rest: not a liar, just incomplete.
    await serveDataset(partial, { get: (root, index) => (index % 2 === 0 ? honest.get(root, index) : undefined) });
    const goneAt = addressOf(gone);
    await gone.stop();
    const reported: string[] = [];
    const onBadHolder = (holder: string) => reported.push(holder);
    const fetched = await fetchDataset(worker, {
      ...fetchInit,
      holders: [goneAt, addressOf(partial), addressOf(owner)],
      cache: await freshCache(),
      onBadHolder,
    });
    expect(fetched.shards).toHaveLength(dataset.shards.length);
    expect(reported).toEqual([]);
    await expect(
      fetchDataset(worker, { ...fetchInit, holders: [addressOf(partial)], cache: await freshCache(), onBadHolder }),
    ).rejects.toMatchObject({ code: 'DATA_CHUNK_UNAVAILABLE' });
    await expect(
      fetchDataset(worker, { ...fetchInit, holders: [goneAt], cache: await freshCache() }),
    ).rejects.toMatchObject({ code: 'DATA_CHUNK_UNAVAILABLE' });
    await expect(fetchDataset(worker, { ...fetchInit, holders: [], cache: await freshCache() })).rejects.toMatchObject({
      code: 'DATA_CHUNK_UNAVAILABLE',
    });
  }, 60_000);
});
