import { generatePrivateKey } from 'viem/accounts';
import { afterEach, describe, expect, it } from 'vitest';
import { type AicNetwork, type AicNetworkInit, createAicNetwork, GOSSIP_TOPICS } from '../../src/index.ts';
import { sampleOffer } from '../helpers/fixtures.ts';
import { nextEvent, waitUntil } from '../helpers/peers.ts';

// Connection keeping with short periods, so the test runs in seconds; the defaults are seconds-to-minutes.
const keeping: AicNetworkInit['connections'] = {
  minPeers: 3,
  intervalMs: 200,
  exchangeIntervalMs: 200,
  maxExchangeIntervalMs: 400,
  warnGraceMs: 0,
  candidates: { baseBackoffMs: 200, maxBackoffMs: 1_000 },
};

const started: AicNetwork[] = [];
async function node(init: Partial<AicNetworkInit>): Promise<AicNetwork> {
  const net = await createAicNetwork({
    privateKey: generatePrivateKey(),
    listen: ['/ip4/127.0.0.1/tcp/0'],
    coordinatesIntervalMs: 60_000,
    ...init,
  });
  await net.start();
  started.push(net);
  return net;
}

const ids = (net: AicNetwork) => new Set(net.getPeers().map((p) => p.peerId));

afterEach(async () => {
  await Promise.all(started.splice(0).map((n) => n.stop()));
});

describe('a network that heals (real libp2p over TCP on 127.0.0.1)', () => {
  it('reaches its target connections once peers it only hears of become reachable, and re-dials after a cut', async () => {
    const bootstrap = await node({});
    const target = 4;
    const net = await node({ bootstrap: bootstrap.multiaddrs(), targetPeers: target, connections: keeping });
    await waitUntil(() => net.getPeers().length === 1, 'the bootstrap connection');
    expect(net.connectivity()).toMatchObject({ connectedPeers: 1, targetPeers: target, underconnected: true });

    // Started later; they know only the bootstrap node and dial nobody else themselves (targetPeers 0), so every
    // connection to `net` is one `net` dialled after learning of them through peer exchange.
    const restored = nextEvent(net, 'connectivity', (c) => !c.underconnected, 60_000);
    const others = await Promise.all(
      Array.from({ length: target }, () => node({ bootstrap: bootstrap.multiaddrs(), targetPeers: 0 })),
    );
    const otherIds = others.map((o) => o.peerId.toString());
    await waitUntil(() => net.getPeers().length >= target, `${target} connections`, 60_000);
    expect((await restored).connectedPeers).toBeGreaterThanOrEqual(3);
    expect(otherIds.filter((id) => ids(net).has(id)).length).toBeGreaterThanOrEqual(target - 1);

    // Cut every connection: the node re-dials back to its target (the bootstrap node by its own dialer, the others
    // from its lost-peer candidates and peer exchange).
    const reconnects: string[] = [];
    net.addEventListener('peer:connect', (e) => reconnects.push(e.detail.peerId));
    const under = nextEvent(net, 'connectivity', (c) => c.underconnected, 30_000);
    await Promise.all(net.libp2p.getPeers().map((p) => net.libp2p.hangUp(p)));
    expect((await under).underconnected).toBe(true);
    await waitUntil(() => net.getPeers().length >= target, `${target} connections again`, 60_000);
    expect(net.connectivity()).toMatchObject({ underconnected: false });
    expect(reconnects.filter((id) => otherIds.includes(id)).length).toBeGreaterThanOrEqual(target - 1);
  });

  it('dials the provider of an offer it heard only through a relay, which answers no peer exchange', async () => {
    // The relay keeps no connections and serves no peer exchange: the offer's origin is the only lead.
    const relay = await node({ targetPeers: 0, gossipHeartbeatMs: 200 });
    const net = await node({
      bootstrap: relay.multiaddrs(),
      targetPeers: 2,
      connections: { ...keeping, minPeers: 2 },
      gossipHeartbeatMs: 200,
    });
    const provider = await node({ bootstrap: relay.multiaddrs(), targetPeers: 0, gossipHeartbeatMs: 200 });
    const offers = GOSSIP_TOPICS.offers;
    const relayId = relay.peerId.toString();
    await waitUntil(
      () => relay.meshPeers(offers).length === 2 && provider.topicPeers(offers).includes(relayId),
      'the relay meshed with both',
      30_000,
    );
    expect(ids(net).has(provider.peerId.toString())).toBe(false);

    const heard = nextEvent(net, 'offer', () => true, 30_000);
    await provider.publishOffer(sampleOffer('relayed-offer'));
    const offer = await heard;
    expect(offer.relayedBy).toBe(relayId);
    expect(offer.payload.peer?.id).toBe(provider.peerId.toString());
    await waitUntil(() => ids(net).has(provider.peerId.toString()), 'a direct connection to the provider', 30_000);
    expect(net.connectivity()).toMatchObject({ connectedPeers: 2, underconnected: false });
  });

  it('ignores an offer whose dial hint names a peer other than its signer', async () => {
    const relay = await node({ targetPeers: 0, gossipHeartbeatMs: 200 });
    const net = await node({
      bootstrap: relay.multiaddrs(),
      targetPeers: 3,
      connections: keeping,
      gossipHeartbeatMs: 200,
    });
    const victim = await node({ targetPeers: 0 });
    const liar = await node({ bootstrap: relay.multiaddrs(), targetPeers: 0, gossipHeartbeatMs: 200 });
    const offers = GOSSIP_TOPICS.offers;
    await waitUntil(() => relay.meshPeers(offers).length === 2, 'the relay meshed with both', 30_000);
    const heard = nextEvent(net, 'offer', () => true, 30_000);
    await liar.publishOffer({
      ...sampleOffer('lying-offer'),
      peer: { id: victim.peerId.toString(), addrs: victim.multiaddrs() },
    });
    expect((await heard).payload.peer?.id).toBe(victim.peerId.toString());
    expect(net.connectivity().knownPeers).toBe(0);
    expect(ids(net).has(victim.peerId.toString())).toBe(false);
  });
});
