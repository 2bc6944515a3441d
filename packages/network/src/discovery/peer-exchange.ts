import type { Libp2p, PeerId } from '@libp2p/interface';
import { peerIdFromString } from '@libp2p/peer-id';
import { multiaddr } from '@multiformats/multiaddr';
import type { NetworkLogger } from '../logger.ts';
import { PEER_EXCHANGE_MAX_PEERS, peerExchangeProtocol } from '../rpc/protocols/peer-exchange.ts';
import type { RpcService } from '../rpc/rpc-service.ts';

export interface PeerExchangeInit {
  /** Below this many connections, a new connection triggers an exchange. Default 8. */
  targetPeers?: number;
}

/**
 * Minimal discovery beyond the bootstrap list: when a peer connects and we have fewer than `targetPeers`
 * connections, we ask it for some of its peers and dial enough of them to reach the target.
 */
export class PeerExchange {
  readonly #libp2p: Libp2p;
  readonly #rpc: RpcService;
  readonly #logger: NetworkLogger;
  readonly #target: number;
  readonly #signal: AbortSignal;

  constructor(
    libp2p: Libp2p,
    rpc: RpcService,
    logger: NetworkLogger,
    signal: AbortSignal,
    init: PeerExchangeInit = {},
  ) {
    this.#libp2p = libp2p;
    this.#rpc = rpc;
    this.#logger = logger;
    this.#signal = signal;
    this.#target = init.targetPeers ?? 8;
  }

  async start(): Promise<void> {
    await this.#rpc.handle(peerExchangeProtocol, async (_request, { peer }) => ({
      peers: await this.#samplePeers(peer),
    }));
  }

  /** Called on every new connection. */
  onConnect(peer: PeerId): void {
    if (this.#libp2p.getPeers().length >= this.#target || this.#signal.aborted) return;
    void this.#exchangeWith(peer);
  }

  async #exchangeWith(peer: PeerId): Promise<void> {
    try {
      const { peers } = await this.#rpc.request(peer, peerExchangeProtocol, {}, { signal: this.#signal });
      const self = this.#libp2p.peerId.toString();
      const connected = new Set(this.#libp2p.getPeers().map((p) => p.toString()));
      const fresh = peers.filter((p) => p.id !== self && !connected.has(p.id) && p.addrs.length > 0);
      const room = Math.max(0, this.#target - connected.size);
      await Promise.allSettled(fresh.slice(0, room).map((p) => this.#dial(p)));
    } catch (error) {
      this.#logger.debug({ peer: peer.toString(), err: (error as Error).message }, 'peer exchange failed');
    }
  }

  async #dial(peer: { id: string; addrs: string[] }): Promise<void> {
    const id = peerIdFromString(peer.id);
    await this.#libp2p.peerStore.merge(id, { multiaddrs: peer.addrs.map((a) => multiaddr(a)) });
    await this.#libp2p.dial(id, { signal: AbortSignal.any([this.#signal, AbortSignal.timeout(5_000)]) });
  }

  async #samplePeers(requester: PeerId): Promise<Array<{ id: string; addrs: string[] }>> {
    const candidates = this.#libp2p.getPeers().filter((p) => !p.equals(requester));
    const picked = candidates.sort(() => Math.random() - 0.5).slice(0, PEER_EXCHANGE_MAX_PEERS);
    const out: Array<{ id: string; addrs: string[] }> = [];
    for (const peer of picked) {
      const record = await this.#libp2p.peerStore.get(peer).catch(() => undefined);
      const addrs = (record?.addresses ?? []).map((a) => a.multiaddr.toString()).slice(0, 8);
      if (addrs.length > 0) out.push({ id: peer.toString(), addrs });
    }
    return out;
  }
}
