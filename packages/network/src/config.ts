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
  /** Gossipsub mesh degrees and publishing (see GossipMeshInit); each field left out keeps gossipsub's default. */
  gossipMesh?: GossipMeshInit;
  /** Yamux tuning for bulk streams (see bench/transfer.ts); defaults in YAMUX_DEFAULTS. */
  streamMuxer?: Partial<typeof YAMUX_DEFAULTS>;
}

/**
 * Gossipsub's mesh: each node keeps between `Dlo` and `Dhi` peers per topic in its mesh (aiming at `D`) and forwards
 * every message to them at once; `Dlazy` more peers hear of it by IHAVE at the next heartbeat. `floodPublish`: a
 * node's own messages go to every connected subscriber, not just its mesh. Defaults (gossipsub's): D 6, Dlo 4,
 * Dhi 12, Dlazy 6, floodPublish true. Smaller meshes send fewer copies (each costs Noise, Yamux and a socket write
 * at both ends) at the price of more hops.
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
