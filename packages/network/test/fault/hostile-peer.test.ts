import { generatePrivateKey } from 'viem/accounts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type AicNetwork,
  coordinatesProtocol,
  createWireSigner,
  GOSSIP_TOPICS,
  type PenaltyEventDetail,
} from '../../src/index.ts';
import { sampleOffer } from '../helpers/fixtures.ts';
import { HostilePeer } from '../helpers/hostile-peer.ts';
import { nextEvent, startPeers, stopAll, waitUntil } from '../helpers/peers.ts';

describe('a hostile peer against an AIC node', () => {
  let nets: AicNetwork[] = [];
  let victim: AicNetwork;
  let hostile: HostilePeer;
  const penalties: PenaltyEventDetail[] = [];
  const seenByHonest = new Set<string>();

  beforeAll(async () => {
    nets = await startPeers(3, { gossipHeartbeatMs: 200 });
    victim = nets[0]!;
    victim.addEventListener('peer:penalized', (e) => penalties.push(e.detail));
    for (const honest of nets.slice(1))
      honest.addEventListener('offer', (e) => seenByHonest.add(e.detail.payload.offerId));
    hostile = await HostilePeer.create();
    await hostile.dial(victim.multiaddrs()[0]!);
    await waitUntil(
      () => hostile.libp2p.services.pubsub.getSubscribers(GOSSIP_TOPICS.offers).some((p) => p.equals(victim.peerId)),
      'victim subscription seen by the hostile peer',
    );
  });

  afterAll(async () => {
    await hostile?.stop();
    await stopAll(nets);
  });

  const hostileId = () => hostile.libp2p.peerId.toString();
  const penalised = (code: string) =>
    nextEvent(victim, 'peer:penalized', (d) => d.peerId === hostileId() && d.code === code);

  it('rejects malformed, oversized, badly signed, replayed and stale gossip, scoring the sender down each time', async () => {
    const cases: Array<[string, Uint8Array]> = [
      ['NETWORK_MESSAGE_MALFORMED', Uint8Array.from([0xa1, 0x61, 0x76, 0xff, 0x13, 0x37])],
      ['NETWORK_MESSAGE_TOO_LARGE', hostile.oversizedOffer()],
      ['NETWORK_BAD_SIGNATURE', hostile.badlySignedOffer()],
      ['NETWORK_STALE_MESSAGE', hostile.signedOffer({ timestampMs: Date.now() - 60 * 60_000 })],
    ];
    for (const [code, bytes] of cases) {
      const event = penalised(code);
      await hostile.publishRaw(bytes);
      expect((await event).offence).toBeDefined();
    }
    // Replay: a valid offer is accepted once; the same (sender, seq) with new bytes is refused.
    const accepted = nextEvent(victim, 'offer', (d) => d.payload.offerId === 'original');
    await hostile.publishRaw(hostile.signedOffer({ seq: 777, offerId: 'original' }));
    await accepted;
    const replayed = penalised('NETWORK_REPLAYED_MESSAGE');
    await hostile.publishRaw(hostile.signedOffer({ seq: 777, offerId: 'replayed' }));
    await replayed;
    // The valid offer travels on through the victim; none of the rejected ones ever reach the honest peers.
    await waitUntil(() => seenByHonest.has('original'), 'the valid hostile offer to be relayed');
    expect([...seenByHonest].filter((id) => id !== 'original' && !id.startsWith('honest'))).toEqual([]);

    const score = () => victim.peerScores().find((s) => s.peerId === hostileId());
    expect(score()?.score).toBeLessThan(-40);
    // Gossipsub recomputes its (cached) score at its next heartbeat.
    await waitUntil(() => (score()?.gossipScore ?? 0) < 0, 'gossipsub score of the hostile peer to fall');
    expect(victim.isBanned(hostileId())).toBe(false);
  });

  it('answers a valid request once, and rejects oversized, forged and replayed requests on streams', async () => {
    const addr = victim.multiaddrs()[0]!;
    const type = coordinatesProtocol.request.type;
    const valid = hostile.signedRequest(type);
    expect(await hostile.sendRequest(addr, coordinatesProtocol.id, valid)).toBeInstanceOf(Uint8Array);

    const replayed = penalised('NETWORK_REPLAYED_MESSAGE');
    expect(await hostile.sendRequest(addr, coordinatesProtocol.id, valid)).toBeUndefined();
    await replayed;

    const oversized = penalised('NETWORK_MESSAGE_TOO_LARGE');
    const big = new Uint8Array(coordinatesProtocol.request.maxBytes + 100);
    expect(await hostile.sendRequest(addr, coordinatesProtocol.id, big)).toBeUndefined();
    await oversized;

    // Correctly signed, but by a key that is not the one at the other end of the stream.
    const mismatch = penalised('NETWORK_SENDER_MISMATCH');
    const stranger = createWireSigner(generatePrivateKey());
    expect(
      await hostile.sendRequest(addr, coordinatesProtocol.id, hostile.signedRequest(type, { signer: stranger })),
    ).toBeUndefined();
    await mismatch;
  });

  it('resets streams beyond the per-peer bound, then bans and disconnects the abuser', async () => {
    const banned = nextEvent(victim, 'peer:penalized', (d) => d.peerId === hostileId() && d.banned);
    const disconnected = nextEvent(victim, 'peer:disconnect', (d) => d.peerId === hostileId());
    await hostile.openIdleStreams(victim.multiaddrs()[0]!, coordinatesProtocol.id, 40);
    const ban = await banned;
    await disconnected;
    expect(ban.score).toBeLessThanOrEqual(-100);
    expect(penalties.some((p) => p.peerId === hostileId() && p.offence === 'stream-abuse')).toBe(true);
    expect(victim.getPeers().map((p) => p.peerId)).not.toContain(hostileId());
    expect(victim.isBanned(hostileId())).toBe(true);
  });

  it('refuses the banned peer’s new connections', async () => {
    await hostile.dial(victim.multiaddrs()[0]!).catch(() => undefined);
    // The dial may complete at the hostile side before the victim's gater closes it; either way it must not stay.
    await waitUntil(
      () => !victim.getPeers().some((p) => p.peerId === hostileId()),
      'victim to drop the banned peer',
      5_000,
    );
    await waitUntil(
      () => !hostile.libp2p.getConnections().some((c) => c.remotePeer.equals(victim.peerId) && c.status === 'open'),
      'the banned peer to lose its connection',
      5_000,
    );
  });

  it('keeps serving honest peers: offers still flow both ways through the victim', async () => {
    const [, honestA, honestB] = nets;
    const fromHonest = sampleOffer(`honest-${Date.now()}`);
    const arrivals = [victim, honestB!].map((net) =>
      nextEvent(net, 'offer', (d) => d.payload.offerId === fromHonest.offerId),
    );
    await honestA!.publishOffer(fromHonest);
    await Promise.all(arrivals);

    const fromVictim = sampleOffer(`victim-${Date.now()}`);
    const back = [honestA!, honestB!].map((net) =>
      nextEvent(net, 'offer', (d) => d.payload.offerId === fromVictim.offerId),
    );
    await victim.publishOffer(fromVictim);
    await Promise.all(back);
    for (const honest of [honestA!, honestB!]) {
      expect(victim.peerScores().find((s) => s.peerId === honest.peerId.toString())?.score ?? 0).toBe(0);
    }
  });
});
