import { lpStream } from '@libp2p/utils';
import { afterAll, describe, expect, it } from 'vitest';
import { CONTENT_PROTOCOL, fetchContent, rawCid, serveContent } from '../../src/index.ts';
import { addressOf, nodeStarter } from '../helpers/exchange-fixtures.ts';

const nodes = nodeStarter();
afterAll(() => nodes.stopAll());

const manifest = new TextEncoder().encode(JSON.stringify({ schema: 'aic-model/1', layers: ['dense'] }));
const cid = rawCid(manifest);

describe('/aic/content/1.0.0', () => {
  it('returns bytes that hash to the CID, skipping and reporting a lying holder', async () => {
    const [honest, liar, empty, worker] = await Promise.all([
      nodes.start(),
      nodes.start(),
      nodes.start(),
      nodes.start(),
    ]);
    await serveContent(honest, { get: (c) => (c === cid ? manifest : undefined) });
    // The liar's own store check is bypassed: it answers the protocol by hand with other bytes.
    await liar.libp2p.handle(CONTENT_PROTOCOL, async (stream) => {
      const lp = lpStream(stream);
      await lp.read();
      await lp.write(Uint8Array.of(0, ...new TextEncoder().encode('{"schema":"evil"}')));
      await stream.close();
    });
    await serveContent(empty, { get: () => undefined });
    const reported: string[] = [];
    const bytes = await fetchContent(worker, [empty, liar, honest].map(addressOf), cid, {
      onBadHolder: (holder, reason) => reported.push(`${holder}:${reason}`),
    });
    expect(Buffer.from(bytes).equals(Buffer.from(manifest))).toBe(true);
    expect(reported).toEqual([`${liar.peerId.toString()}:content-hash-mismatch`]);
    expect(worker.peerScores().find((p) => p.peerId === liar.peerId.toString())?.score).toBeLessThan(0);

    // Nobody honest: a typed error naming each holder's answer.
    await expect(fetchContent(worker, [empty, liar].map(addressOf), cid)).rejects.toMatchObject({
      code: 'DATA_CONTENT_UNAVAILABLE',
      details: { attempts: [{ code: 'DATA_CONTENT_NOT_FOUND' }, { code: 'DATA_CONTENT_HASH_MISMATCH' }] },
    });
  }, 30_000);

  it('bounds what it accepts and refuses CIDs it cannot check', async () => {
    const [holder, worker] = await Promise.all([nodes.start(), nodes.start()]);
    await serveContent(holder, { get: (c) => (c === cid ? manifest : undefined) });
    const reported: string[] = [];
    await expect(
      fetchContent(worker, [addressOf(holder)], cid, {
        maxBytes: manifest.length - 1,
        onBadHolder: (_holder, reason) => reported.push(reason),
      }),
    ).rejects.toMatchObject({
      code: 'DATA_CONTENT_UNAVAILABLE',
      details: { attempts: [{ code: 'DATA_CONTENT_RESPONSE_INVALID' }] },
    });
    expect(reported).toEqual(['content-invalid']);
    await expect(fetchContent(worker, [addressOf(holder)], 'not-a-cid')).rejects.toMatchObject({
      code: 'DATA_CONTENT_CID_INVALID',
    });
    // A garbage request only ends its own stream; the holder keeps serving.
    const stream = await worker.libp2p.dialProtocol(addressOf(holder), CONTENT_PROTOCOL);
    const lp = lpStream(stream);
    await lp.write(new Uint8Array(3).fill(0xff));
    expect([...(await lp.read()).subarray()]).toEqual([2]); // badRequest
    expect((await fetchContent(worker, [addressOf(holder)], cid)).length).toBe(manifest.length);
  }, 30_000);
});
