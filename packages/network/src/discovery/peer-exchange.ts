import type { Libp2p, PeerId } from '@libp2p/interface';
import { connectedPeers } from '../peers.ts';
import { PEER_EXCHANGE_MAX_PEERS, peerExchangeProtocol } from '../rpc/protocols/peer-exchange.ts';
import type { RpcService } from '../rpc/rpc-service.ts';

/**
 * Minimal discovery beyond the bootstrap list (`/aic/peer-exchange/1.0.0`): a node answers with up to 16 of its
 * connected peers (random, with the addresses identify gave it), and asks its own neighbours the same; the
 * {@link ConnectionKeeper} decides when to ask and whom to dial.
 */
export class PeerExchange {
  readonly #libp2p: Libp2p;
  readonly #rpc: RpcService;

  constructor(libp2p: Libp2p, rpc: RpcService) {
    this.#libp2p = libp2p;
    this.#rpc = rpc;
  }

  /** Serves the protocol. */
  async start(): Promise<void> {
    await this.#rpc.handle(peerExchangeProtocol, async (_request, { peer }) => ({
      peers: await this.#samplePeers(peer),
    }));
  }

  /** Asks `peer` for some of its peers. */
  async exchange(peer: PeerId, signal: AbortSignal): Promise<Array<{ id: string; addrs: string[] }>> {
    const { peers } = await this.#rpc.request(peer, peerExchangeProtocol, {}, { signal });
    return peers;
  }

  async #samplePeers(requester: PeerId): Promise<Array<{ id: string; addrs: string[] }>> {
    const candidates = connectedPeers(this.#libp2p).filter((p) => !p.equals(requester));
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
