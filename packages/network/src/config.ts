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
  /** Minimum peers (below: underconnected, default 3), periods, backoff: see ConnectionKeeperInit. */
  connections?: Omit<ConnectionKeeperInit, 'targetPeers'>;
  /** Concurrent inbound request streams per peer. */
  maxInboundStreamsPerPeer?: number;
  /** Gossipsub heartbeat. Default 1000 ms (gossipsub's). */
  gossipHeartbeatMs?: number;
  /** Yamux tuning for bulk streams (see bench/transfer.ts); defaults in YAMUX_DEFAULTS. */
  streamMuxer?: Partial<typeof YAMUX_DEFAULTS>;
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
