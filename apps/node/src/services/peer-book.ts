import type { Logger } from 'pino';
import type { PeerInfo } from '../api/schemas.ts';
import type { NodeMetrics } from '../metrics.ts';
import type { NodeNetwork } from '../network-port.ts';
import { type KnownPeer, peersFileSchema, rememberPeer, STATE_LIMITS } from '../state/node-state.ts';
import { loadPersistedValue } from '../state/persisted-value.ts';

/** Peers this node has met, remembered across restarts so it can find the network again without bootstrap. */
export interface PeerBook {
  remember(peer: Omit<KnownPeer, 'lastSeenMs'>): Promise<void>;
  known(): KnownPeer[];
  /** Known and connected peers with RTT estimate and score, connected first. */
  describe(network: NodeNetwork): PeerInfo[];
  flush(): Promise<void>;
}

export async function loadPeerBook(
  path: string,
  components: { logger: Logger; metrics: NodeMetrics; now: () => number },
): Promise<PeerBook> {
  const file = await loadPersistedValue({ path, schema: peersFileSchema, initial: { peers: [] } }, components);
  return {
    remember(peer) {
      const peers = rememberPeer(file.get().peers, { ...peer, lastSeenMs: components.now() }, STATE_LIMITS.knownPeers);
      return file.set({ peers });
    },
    known: () => file.get().peers,
    describe(network) {
      const live = new Map(network.getPeers().map((p) => [p.peerId, p]));
      const ids = new Set([...live.keys(), ...file.get().peers.map((p) => p.peerId)]);
      ids.delete(network.peerId);
      return [...ids]
        .map((peerId) => {
          const now = live.get(peerId);
          const remembered = file.get().peers.find((p) => p.peerId === peerId);
          const address = now?.address ?? remembered?.address;
          return {
            peerId,
            address: address ?? null,
            multiaddrs: now?.multiaddrs.length ? now.multiaddrs : (remembered?.multiaddrs ?? []),
            connected: now?.connected ?? false,
            rttMs: network.estimateRttMs(peerId) ?? null,
            score: network.peerScore(peerId),
          };
        })
        .sort((a, b) => Number(b.connected) - Number(a.connected) || a.peerId.localeCompare(b.peerId));
    },
    flush: () => file.flush(),
  };
}
