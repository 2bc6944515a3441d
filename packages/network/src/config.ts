import type { ConnectionKeeperInit } from './discovery/connection-keeper.ts';
import type { RawPrivateKey } from './identity.ts';
import type { NetworkLogger } from './logger.ts';
import type { PeerScoreBookInit } from './scoring/peer-score-book.ts';
import type { ReplayGuardInit } from './wire/replay-guard.ts';

/** Options of {@link createAicNetwork}. */
export interface AicNetworkInit {
  /** The member's raw secp256k1 key: its PeerId and its Ethereum address. Never logged. */
  privateKey: RawPrivateKey;
  /** Listen multiaddrs. Default: TCP and WebSockets on 127.0.0.1, port 0. */
  listen?: string[];
  /** Multiaddrs (ending in /p2p/<peerId>) dialled on start and redialled when lost. */
  bootstrap?: string[];
  /** Aborting it stops the network. */
  signal?: AbortSignal;
  /** App-level peer scoring (ban threshold, ban duration, recovery). */
  scoring?: PeerScoreBookInit;
  /** Replay window and cache size. */
  replay?: ReplayGuardInit;
  /** Vivaldi sampling period. Default 10 s. */
  coordinatesIntervalMs?: number;
  /**
   * Connections the node keeps up, dialling peers learned by peer exchange, from offers' origins and from lost
   * connections. Default 8; 0 disables connection keeping and peer exchange (the bootstrap list is still dialled).
   */
  targetPeers?: number;
  /**
   * Most open connections before libp2p prunes the least valued (default libp2p's 300). A node many others bootstrap
   * through collects inbound connections beyond its target; a bound spreads them (and their pings and gossip) over
   * the network.
   */
  maxConnections?: number;
  /** Minimum peers (below: underconnected, default 3), periods, backoff: see ConnectionKeeperInit. */
  connections?: Omit<ConnectionKeeperInit, 'targetPeers'>;
  /** Concurrent inbound request streams per peer. */
  maxInboundStreamsPerPeer?: number;
  /** Gossipsub heartbeat. Default 1000 ms (gossipsub's). */
  gossipHeartbeatMs?: number;
  /** Gossipsub mesh degrees and publishing (see GossipMeshInit); each field left out keeps GOSSIP_MESH_DEFAULTS. */
  gossipMesh?: GossipMeshInit;
  /** Yamux tuning for bulk streams (see bench/transfer.ts); defaults in YAMUX_DEFAULTS. */
  streamMuxer?: Partial<typeof YAMUX_DEFAULTS>;
}

/**
 * Gossipsub's mesh: each node keeps between `Dlo` and `Dhi` peers per topic in its mesh (aiming at `D`) and forwards
 * every message to them at once; `Dlazy` more peers hear of it by IHAVE at the next heartbeat. `floodPublish`: a
 * node's own messages go to every connected subscriber, not just its mesh. Defaults: GOSSIP_MESH_DEFAULTS, the rest
 * gossipsub's (Dlazy 6, Dout 2, floodPublish true). Smaller meshes send fewer copies (each costs Noise, Yamux and a
 * socket write at both ends) at the price of more hops.
 */
export interface GossipMeshInit {
  D?: number | undefined;
  Dlo?: number | undefined;
  Dhi?: number | undefined;
  Dlazy?: number | undefined;
  /** Fewer outbound mesh peers than this are topped up (must stay below Dlo and at most D / 2; default 2). */
  Dout?: number | undefined;
  floodPublish?: boolean | undefined;
}

/**
 * AIC's mesh: D 4 (gossipsub's 6 less two; Dlo 3, Dhi 6 around it). Every node receives each message about D times
 * (once, plus D − 1 duplicates it drops), so copies per message fall from ~5 to ~3 per node: ~20 % less CPU per offer
 * for 30 peers on one machine (cpuMsPerOffer 87–88 → 66–70 ms, load 12–21), one hop more at most for networks of a
 * few hundred nodes, and still three neighbours' worth of redundancy against a lost or lying peer.
 */
export const GOSSIP_MESH_DEFAULTS = { D: 4, Dlo: 3, Dhi: 6 } as const;

/** Yamux settings: windows and frame size chosen with bench/transfer.ts. */
export const YAMUX_DEFAULTS = {
  initialStreamWindowBytes: 256 * 1024,
  maxStreamWindowBytes: 16 * 1024 * 1024,
  maxMessageBytes: 64 * 1024,
};

/** Dependencies of {@link createAicNetwork}. */
export interface AicNetworkComponents {
  /** A pino-compatible logger; a child per module is derived from it. */
  logger?: NetworkLogger;
}
