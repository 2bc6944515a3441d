import { mkdtemp, rm } from 'node:fs/promises';
import { createConnection, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { lpStream } from '@libp2p/utils';
import { afterAll, describe, expect, it } from 'vitest';
import {
  BULK_PROTOCOL,
  createShardCache,
  createTransferMeter,
  type FetchPath,
  fetchDataset,
  manifestFileBytes,
  type SealedChunkStore,
  sealedChunkStore,
  serveDataset,
  stopBulkServer,
  tcpHostOf,
} from '../../src/index.ts';
import { addressOf, gate, multiChunkDataset, nodeStarter } from '../helpers/exchange-fixtures.ts';

const nodes = nodeStarter();
const cleanups: (() => Promise<unknown>)[] = [];
afterAll(async () => {
  await nodes.stopAll();
  await Promise.all(cleanups.map((c) => c()));
});

async function freshCache() {
  const dir = await mkdtemp(join(tmpdir(), 'aic-bulk-'));
  cleanups.push(() => rm(dir, { recursive: true, force: true }));
  return createShardCache({ dir, maxBytes: 64 << 20 });
}

const dataset = multiChunkDataset();
const honest = sealedChunkStore(dataset.manifest, dataset.sealed);
const manifestText = new TextDecoder().decode(manifestFileBytes(dataset.manifest));
const fetchInit = { manifest: manifestText, committedRoot: dataset.datasetRoot, key: dataset.key };
const sameShards = (shards: Uint8Array[]) =>
  shards.every((bytes, i) => Buffer.from(bytes).equals(Buffer.from(dataset.shards[i] as Uint8Array)));

/** A fetch recording which path served each holder and whom it reported. */
async function recordedFetch(
  worker: Awaited<ReturnType<typeof nodes.start>>,
  holders: Parameters<typeof addressOf>[0][],
) {
  const paths: string[] = [];
  const reported: string[] = [];
  const meter = createTransferMeter();
  const fetched = await fetchDataset(worker, {
    ...fetchInit,
    holders: holders.map(addressOf),
    cache: await freshCache(),
    meter,
    onPath: (holder: string, path: FetchPath, reason?: string) =>
      paths.push(reason === undefined ? `${holder}:${path}` : `${holder}:${path}:${reason.split(':')[0]}`),
    onBadHolder: (holder, reason) => reported.push(`${holder}:${reason}`),
  });
  return { fetched, paths, reported, meter };
}

/** Resolves once the holder has ended the connection. */
function closedBy(socket: Socket): Promise<'closed'> {
  return new Promise((resolve) => socket.once('close', () => resolve('closed')));
}

describe('the bulk chunk path', () => {
  // One holder pair shared by the cases that do not change the holder's serving.
  const pair = Promise.all([nodes.start(), nodes.start()]).then(async ([holder, worker]) => {
    await serveDataset(holder, honest);
    return { holder, worker };
  });

  it('serves a fetch by default, every byte on the bulk path, the shards verified', async () => {
    const { holder, worker } = await pair;
    const { fetched, paths, reported, meter } = await recordedFetch(worker, [holder]);
    expect(sameShards(fetched.shards)).toBe(true);
    expect(paths).toEqual([`${holder.peerId.toString()}:bulk`]);
    expect(meter.byPath.get('bulk')).toBe(meter.bytes);
    expect(meter.byPath.has('stream')).toBe(false);
    expect(reported).toEqual([]);
  }, 30_000);

  it('falls back to the libp2p stream, with the reason, when a holder offers no bulk path', async () => {
    const [holder, worker] = await Promise.all([nodes.start(), nodes.start()]);
    await serveDataset(holder, honest, { bulk: false });
    const { fetched, paths, meter } = await recordedFetch(worker, [holder]);
    expect(sameShards(fetched.shards)).toBe(true);
    expect(paths).toEqual([`${holder.peerId.toString()}:stream:not-offered`]);
    expect(meter.byPath.get('stream')).toBe(meter.bytes);
  }, 30_000);

  it('still catches and reports a lying holder on the bulk path, and fetches its chunks elsewhere', async () => {
    const [good, liar, worker] = await Promise.all([nodes.start(), nodes.start(), nodes.start()]);
    const liarAsked = gate();
    await serveDataset(good, {
      async get(root, index) {
        await liarAsked.opened; // the liar is met whatever the timing
        return honest.get(root, index);
      },
    });
    await serveDataset(liar, {
      async get(root, index) {
        liarAsked.open();
        const tampered = (await honest.get(root, index))?.slice();
        if (tampered) tampered[3] = (tampered[3] as number) ^ 0x01;
        return tampered;
      },
    });
    const { fetched, paths, reported, meter } = await recordedFetch(worker, [liar, good]);
    expect(sameShards(fetched.shards)).toBe(true);
    // each holder's sessions (a broken one is reopened: holder-lanes.ts) ran on the bulk path
    expect([...new Set(paths)].sort()).toEqual(
      [`${good.peerId.toString()}:bulk`, `${liar.peerId.toString()}:bulk`].sort(),
    );
    expect(reported).toEqual([`${liar.peerId.toString()}:chunk-auth-failed`]);
    expect(meter.byPath.get('bulk')).toBe(meter.bytes);
  }, 30_000);

  it('moves to the libp2p stream when the bulk connection breaks mid-fetch, blaming nobody', async () => {
    const [holder, worker] = await Promise.all([nodes.start(), nodes.start()]);
    let served = 0;
    const breaking: SealedChunkStore = {
      async get(root, index) {
        if (++served === 4) await stopBulkServer(holder); // drops the open bulk connection with answers pending
        return honest.get(root, index);
      },
    };
    await serveDataset(holder, breaking);
    const { fetched, paths, reported, meter } = await recordedFetch(worker, [holder]);
    expect(sameShards(fetched.shards)).toBe(true);
    const peer = holder.peerId.toString();
    expect(paths).toEqual([`${peer}:bulk`, `${peer}:stream:bulk-broke`]);
    expect(meter.byPath.get('stream')).toBeGreaterThan(0);
    expect(reported).toEqual([]);
  }, 30_000);

  it('takes a ticket once, only with frames under its secret; bad connections end, the holder keeps serving', async () => {
    const { holder, worker } = await pair;
    const grant = async () => {
      const stream = await worker.libp2p.dialProtocol(addressOf(holder), BULK_PROTOCOL);
      const lp = lpStream(stream);
      await lp.write(Uint8Array.of(1));
      const bytes = (await lp.read()).subarray();
      await stream.close();
      return { port: new DataView(bytes.buffer, bytes.byteOffset).getUint16(1, false), ticket: bytes.slice(3, 19) };
    };
    const host = tcpHostOf(addressOf(holder))?.host as string;
    const dial = async (port: number) => {
      const socket = createConnection({ host, port });
      await new Promise((resolve) => socket.once('connect', resolve));
      return socket;
    };
    const { port, ticket } = await grant();
    // An unknown ticket is refused.
    const stranger = await dial(port);
    const strangerClosed = closedBy(stranger);
    stranger.write(new Uint8Array(16).fill(7));
    expect(await strangerClosed).toBe('closed');
    // The real ticket, then a frame not sealed with its secret: the holder ends the connection.
    const forger = await dial(port);
    const forgerClosed = closedBy(forger);
    const frame = new Uint8Array(8 + 40 + 16);
    new DataView(frame.buffer).setUint32(0, 40 + 16, false);
    forger.write(Buffer.concat([ticket, frame]));
    expect(await forgerClosed).toBe('closed');
    // The ticket is spent: using it again is refused like an unknown one.
    const replay = await dial(port);
    const replayClosed = closedBy(replay);
    replay.write(ticket);
    expect(await replayClosed).toBe('closed');
    // And the holder still serves a real fetch on its bulk path.
    const { fetched, paths } = await recordedFetch(worker, [holder]);
    expect(sameShards(fetched.shards)).toBe(true);
    expect(paths).toEqual([`${holder.peerId.toString()}:bulk`]);
  }, 30_000);
});
