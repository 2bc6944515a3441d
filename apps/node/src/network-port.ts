import type { JobAnnouncement, JobAnnouncementInput, Offer, OfferInput } from './api/schemas.ts';

/** A peer as the network layer knows it. */
export interface NetworkPeer {
  peerId: string;
  /** Its Ethereum address (same key as the PeerId), when known. */
  address?: string | undefined;
  multiaddrs: string[];
  connected: boolean;
}

/** The body of an offer to sign, with defaults applied (the node fills in offerId). */
export type OfferBody = Omit<Offer, 'provider' | 'issuedAtMs' | 'expiresAtMs'>;
/** The body of a job announcement to sign, with defaults applied. */
export type JobBody = Omit<JobAnnouncement, 'requester' | 'issuedAtMs'>;

/**
 * What the node needs from the peer-to-peer layer. The real implementation wraps @aic/network
 * (network-adapter.ts); unit tests pass an in-memory hub. Keeping it this small keeps the node testable.
 */
export interface NodeNetwork {
  readonly peerId: string;
  readonly address: `0x${string}`;
  /** The underlying @aic/network node (absent in in-memory test networks): job services speak its protocols. */
  readonly aic?: import('@aic/network').AicNetwork;
  multiaddrs(): string[];
  start(): Promise<void>;
  stop(): Promise<void>;
  /** Signs and gossips an offer; resolves to it as peers will see it. */
  publishOffer(body: OfferBody): Promise<Offer>;
  /** Signs and gossips a job announcement. */
  announceJob(body: JobBody): Promise<JobAnnouncement>;
  /** Valid offers from other peers, already verified by the network layer. */
  onOffer(listener: (offer: Offer) => void): void;
  onJobAnnouncement(listener: (job: JobAnnouncement) => void): void;
  /** A peer connected (with the addresses it listens on, when known). */
  onPeerConnected(listener: (peer: NetworkPeer) => void): void;
  onPeerDisconnected(listener: (peerId: string) => void): void;
  getPeers(): NetworkPeer[];
  /** Estimated round-trip time (network coordinates), undefined while unknown. */
  estimateRttMs(peerId: string): number | undefined;
  peerScore(peerId: string): number;
  /** Best-effort dial of a known address (used for peers remembered from an earlier run). */
  dial(multiaddr: string): Promise<void>;
  /** Connection health against the target (absent in in-memory test networks). */
  connectivity?(): NodeConnectivity;
}

/** Connections against the target; `underconnected` below `minPeers` (GET /v1/status shows it). */
export interface NodeConnectivity {
  connectedPeers: number;
  targetPeers: number;
  minPeers: number;
  underconnected: boolean;
}

export interface NetworkInit {
  privateKey: Uint8Array;
  listen: string[];
  bootstrap: string[];
  coordinatesIntervalMs?: number;
  /** Connections the node keeps up (default 8) and the minimum below which it is underconnected (default 3). */
  targetPeers?: number;
  minPeers?: number;
}

/** Builds the network for a node; the default is the @aic/network adapter. */
export type NetworkFactory = (init: NetworkInit, components: { logger: import('pino').Logger }) => Promise<NodeNetwork>;

export type { JobAnnouncementInput, OfferInput };
