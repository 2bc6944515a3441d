import { privateKeyBytesToAddress } from '@aic/core/keystore';
import type { JobAnnouncement, Offer } from '../../src/api/schemas.ts';
import type { NetworkFactory, NetworkPeer, NodeNetwork } from '../../src/network-port.ts';

/**
 * An in-memory stand-in for @aic/network: every started network on one hub is connected to every other and
 * "gossip" is a synchronous loop. For unit tests of the node's own logic; real libp2p is in the integration tests.
 */
export function createMemoryHub(): { factory: NetworkFactory; members: Map<string, MemoryNetwork> } {
  const members = new Map<string, MemoryNetwork>();
  let counter = 0;
  const factory: NetworkFactory = async (init) => {
    const address = privateKeyBytesToAddress(init.privateKey);
    const network = new MemoryNetwork(`mem-${address.slice(2, 10).toLowerCase()}`, address, ++counter, members);
    return network;
  };
  return { factory, members };
}

class MemoryNetwork implements NodeNetwork {
  private readonly offerListeners: Array<(o: Offer) => void> = [];
  private readonly jobListeners: Array<(j: JobAnnouncement) => void> = [];
  private readonly peerListeners: Array<(p: NetworkPeer) => void> = [];

  constructor(
    readonly peerId: string,
    readonly address: `0x${string}`,
    private readonly port: number,
    private readonly members: Map<string, MemoryNetwork>,
  ) {}

  multiaddrs = () => [`/memory/${this.port}/p2p/${this.peerId}`];

  async start() {
    for (const other of this.members.values()) {
      other.emitPeer({ peerId: this.peerId, multiaddrs: this.multiaddrs(), connected: true });
      this.emitPeer({ peerId: other.peerId, multiaddrs: other.multiaddrs(), connected: true });
    }
    this.members.set(this.peerId, this);
  }

  async stop() {
    this.members.delete(this.peerId);
  }

  async publishOffer(body: Omit<Offer, 'provider' | 'issuedAtMs' | 'expiresAtMs'>): Promise<Offer> {
    const issuedAtMs = Date.now();
    const offer = { ...body, provider: this.address, issuedAtMs, expiresAtMs: issuedAtMs + body.ttlSeconds * 1000 };
    for (const other of this.others()) for (const l of other.offerListeners) l(offer);
    return offer;
  }

  async announceJob(body: Omit<JobAnnouncement, 'requester' | 'issuedAtMs'>): Promise<JobAnnouncement> {
    const job = { ...body, requester: this.address, issuedAtMs: Date.now() };
    for (const other of this.others()) for (const l of other.jobListeners) l(job);
    return job;
  }

  onOffer(l: (o: Offer) => void) {
    this.offerListeners.push(l);
  }
  onJobAnnouncement(l: (j: JobAnnouncement) => void) {
    this.jobListeners.push(l);
  }
  onPeerConnected(l: (p: NetworkPeer) => void) {
    this.peerListeners.push(l);
  }
  onPeerDisconnected() {}
  getPeers(): NetworkPeer[] {
    return this.others().map((o) => ({
      peerId: o.peerId,
      address: o.address,
      multiaddrs: o.multiaddrs(),
      connected: true,
    }));
  }
  estimateRttMs = (peerId: string) => (this.members.has(peerId) ? 1 : undefined);
  peerScore = () => 0;
  dial = async () => {};

  private others(): MemoryNetwork[] {
    return [...this.members.values()].filter((m) => m !== this);
  }
  private emitPeer(p: NetworkPeer) {
    for (const l of this.peerListeners) l(p);
  }
}
