import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import {
  type AicNetwork,
  addressFromPeerId,
  defineProtocol,
  jobTicketProtocol,
  NetworkError,
} from '../../src/index.ts';
import { sampleJobAnnouncement, sampleOffer } from '../helpers/fixtures.ts';
import { nextEvent, startPeers, stopAll } from '../helpers/peers.ts';

describe('four AIC network peers on 127.0.0.1', () => {
  let nets: AicNetwork[] = [];
  beforeAll(async () => {
    nets = await startPeers(4, { gossipHeartbeatMs: 200 });
  });
  afterAll(() => stopAll(nets));

  it('maps every peer to the Ethereum address of its key', () => {
    const [a] = nets;
    for (const peer of a!.getPeers()) {
      const net = nets.find((n) => n.peerId.toString() === peer.peerId);
      expect(peer.address).toBe(net?.address);
      expect(addressFromPeerId(net!.peerId)).toBe(net!.address);
    }
  });

  it('delivers an offer published by one peer to all the others, typed and attributed', async () => {
    const [publisher, ...others] = nets;
    const offer = sampleOffer(`offer-${Date.now()}`);
    const arrivals = others.map((net) => nextEvent(net, 'offer', (d) => d.payload.offerId === offer.offerId));
    await publisher!.publishOffer(offer);
    const received = await Promise.all(arrivals);
    for (const detail of received) {
      expect(detail.payload).toEqual({
        ...offer,
        coordinate: publisher!.coordinate(),
        peer: { id: publisher!.peerId.toString(), addrs: publisher!.multiaddrs() },
      });
      expect(detail.sender).toBe(publisher!.address);
      expect(detail.expiresAtMs).toBe(detail.timestampMs + offer.ttlSeconds * 1000);
    }
    // The offer carried the provider's coordinate: every receiver can now estimate its RTT to it by address.
    for (const net of others) expect(net.estimateRttMs(publisher!.address)).toBeGreaterThanOrEqual(0);
  });

  it('carries a job announcement end to end', async () => {
    const [, requester, ...others] = nets;
    const job = sampleJobAnnouncement();
    const arrivals = [nets[0]!, ...others].map((net) => nextEvent(net, 'job-announcement'));
    await requester!.publishJobAnnouncement(job);
    for (const detail of await Promise.all(arrivals)) {
      expect(detail.payload).toEqual(job);
      expect(detail.sender).toBe(requester!.address);
    }
  });

  it('answers a typed request with the handler’s typed response, naming the caller', async () => {
    const [client, , , server] = nets;
    await server!.handle(jobTicketProtocol, (request, { sender }) => ({
      accepted: request.ticket.length === 3,
      reason: sender,
    }));
    const answer = await client!.request(server!.peerId, jobTicketProtocol, {
      jobId: `0x${'aa'.repeat(32)}`,
      ticket: new Uint8Array([1, 2, 3]),
      signature: new Uint8Array(65),
    });
    expect(answer).toEqual({ accepted: true, reason: client!.address });
  });

  it('turns a handler’s typed error into NETWORK_REMOTE_ERROR with the remote code', async () => {
    const [client, server] = nets;
    const echo = defineProtocol({
      id: '/aic/test-echo/1.0.0',
      request: z.strictObject({ text: z.string().max(16) }),
      response: z.strictObject({ text: z.string() }),
    });
    await server!.handle(echo, ({ text }) => {
      if (text === 'fail') throw new NetworkError('NETWORK_PROTOCOL_NOT_HANDLED', 'refused on purpose');
      return { text: text.toUpperCase() };
    });
    await expect(client!.request(server!.peerId, echo, { text: 'hi' })).resolves.toEqual({ text: 'HI' });
    await expect(client!.request(server!.peerId, echo, { text: 'fail' })).rejects.toMatchObject({
      code: 'NETWORK_REMOTE_ERROR',
      details: { code: 'NETWORK_PROTOCOL_NOT_HANDLED' },
    });
    // An invalid request never leaves the caller.
    await expect(client!.request(server!.peerId, echo, { text: 'x'.repeat(17) })).rejects.toMatchObject({
      code: 'NETWORK_MESSAGE_MALFORMED',
    });
  });

  it('estimates the RTT to connected peers from Vivaldi coordinates fed by ping', async () => {
    const [a] = nets;
    await a!.refreshCoordinates();
    const estimates = a!.getPeers().map((p) => a!.estimateRttMs(p.peerId));
    expect(estimates.length).toBeGreaterThan(0);
    for (const rtt of estimates) {
      expect(rtt).toBeGreaterThan(0);
      // Loopback: anything above a second would mean the model is broken.
      expect(rtt).toBeLessThan(1_000);
    }
  });
});
