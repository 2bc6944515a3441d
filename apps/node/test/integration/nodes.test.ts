import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readApiToken } from '../../src/api/api-token.ts';
import { createApiClient } from '../../src/api/client.ts';
import type { NodeProcess } from '../../src/spawn.ts';
import { createTestAccount, dataDirOf, eventually, startTestNode, waitForPeers } from '../helpers/cluster.ts';
import { sampleJob, sampleOffer } from '../helpers/fixtures.ts';

const NODE_COUNT = 4;

describe('four node processes on 127.0.0.1', () => {
  let root: string;
  const nodes: NodeProcess[] = [];
  const addresses: string[] = [];

  beforeAll(async () => {
    root = await mkdtemp(`${tmpdir()}/aic-nodes-`);
    for (let i = 0; i < NODE_COUNT; i++) addresses.push(await createTestAccount(dataDirOf(root, i)));
    nodes.push(await startTestNode(dataDirOf(root, 0)));
    const seed = nodes[0]!.ready.multiaddrs;
    nodes.push(...(await Promise.all([1, 2, 3].map((i) => startTestNode(dataDirOf(root, i), seed)))));
    await Promise.all(nodes.map((n, i) => waitForPeers(n.ready.apiUrl, i === 0 ? NODE_COUNT - 1 : 1)));
  });

  afterAll(async () => {
    const codes = await Promise.all(nodes.map((n) => n.stop()));
    await rm(root, { recursive: true, force: true });
    expect(codes).toEqual(codes.map(() => 0));
  });

  it('uses the keystore key as both PeerId and address', async () => {
    for (const [i, node] of nodes.entries()) {
      const status = await createApiClient(node.ready.apiUrl).status();
      expect(status.address).toBe(addresses[i]);
      expect(status.peerId).toBe(node.ready.peerId);
      expect(status.peerId).toMatch(/^16Uiu2/); // secp256k1 PeerId
    }
  });

  it('delivers an offer published through one node to all the others', async () => {
    const publisher = createApiClient(nodes[3]!.ready.apiUrl, { token: readApiToken(dataDirOf(root, 3)) });
    const offer = await publisher.publishOffer({ body: sampleOffer({ offerId: 'gossip-test' }) });
    await Promise.all(
      nodes.slice(0, 3).map((n) =>
        eventually(`offer at ${n.ready.apiUrl}`, async () => {
          const { offers } = await createApiClient(n.ready.apiUrl).listOffers({ query: { source: 'received' } });
          return offers.find((o) => o.offerId === offer.offerId && o.provider === addresses[3]);
        }),
      ),
    );
  });

  it('delivers a job announcement to the other nodes', async () => {
    const job = await createApiClient(nodes[1]!.ready.apiUrl, { token: readApiToken(dataDirOf(root, 1)) }).announceJob({
      body: sampleJob(),
    });
    for (const n of [nodes[0]!, nodes[2]!]) {
      await eventually(`job at ${n.ready.apiUrl}`, async () => {
        const { announcements } = await createApiClient(n.ready.apiUrl).listJobAnnouncements();
        return announcements.find((j) => j.jobId === job.jobId && j.requester === addresses[1]);
      });
    }
  });

  it('estimates RTT to connected peers from network coordinates and reports their scores', async () => {
    const api = createApiClient(nodes[0]!.ready.apiUrl);
    const peers = await eventually('RTT estimates for every peer of node 0', async () => {
      const list = (await api.peers()).peers.filter((p) => p.connected);
      return list.length === NODE_COUNT - 1 && list.every((p) => p.rttMs !== null) ? list : undefined;
    });
    expect(peers.map((p) => p.peerId).sort()).toEqual(
      nodes
        .slice(1)
        .map((n) => n.ready.peerId)
        .sort(),
    );
    for (const peer of peers) {
      expect(peer.rttMs).toBeGreaterThanOrEqual(0);
      expect(peer.rttMs).toBeLessThan(1000); // loopback
      expect(Number.isFinite(peer.score)).toBe(true);
      expect(peer.address).toBe(addresses[nodes.findIndex((n) => n.ready.peerId === peer.peerId)]);
    }
  });

  it('answers a bad request with 400 and keeps serving', async () => {
    const url = nodes[2]!.ready.apiUrl;
    const response = await fetch(`${url}/v1/offers`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${readApiToken(dataDirOf(root, 2))}` },
      body: JSON.stringify({ capacity: 'lots' }),
    });
    expect(response.status).toBe(400);
    expect(((await response.json()) as { code: string }).code).toBe('API_INVALID_REQUEST');
    expect((await createApiClient(url).status()).peerId).toBe(nodes[2]!.ready.peerId);
  });

  it('keeps identity and state across a restart', async () => {
    // Node 3 published "gossip-test"; node 1 received it. Restart both.
    const restarted = [3, 1];
    const exitCodes = await Promise.all(restarted.map((i) => nodes[i]!.stop()));
    expect(exitCodes).toEqual([0, 0]);
    const seed = nodes[0]!.ready.multiaddrs;
    const again = await Promise.all(restarted.map((i) => startTestNode(dataDirOf(root, i), seed)));
    for (const [k, i] of restarted.entries()) {
      expect(again[k]!.ready.peerId).toBe(nodes[i]!.ready.peerId);
      expect(again[k]!.ready.address).toBe(addresses[i]);
      nodes[i] = again[k]!;
    }
    const own = await createApiClient(nodes[3]!.ready.apiUrl).listOffers({ query: { source: 'own' } });
    expect(own.offers.map((o) => o.offerId)).toContain('gossip-test');
    const received = await createApiClient(nodes[1]!.ready.apiUrl).listOffers({ query: { source: 'received' } });
    expect(received.offers.map((o) => o.offerId)).toContain('gossip-test');
    // And the restarted nodes rejoin the network.
    await Promise.all(restarted.map((i) => waitForPeers(nodes[i]!.ready.apiUrl, 1)));
  });
});
