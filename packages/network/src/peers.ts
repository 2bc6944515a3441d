import type { Libp2p, PeerId } from '@libp2p/interface';
import { peerIdFromString } from '@libp2p/peer-id';
import { type Multiaddr, multiaddr } from '@multiformats/multiaddr';
import type { Address } from 'viem';
import type { PeerEventDetail } from './events.ts';
import { addressFromPeerId, knownAddressOfPeerId } from './identity.ts';
import type { AicLibp2pServices } from './libp2p-node.ts';
import type { AppPeerScore, PeerScoreBook } from './scoring/peer-score-book.ts';

/** A connected peer. */
export interface NetworkPeer {
  peerId: string;
  address: Address | undefined;
  /** Remote addresses of the open connections. */
  remoteAddrs: string[];
}

/** App-level and gossipsub scores of one peer. */
export interface PeerScore extends AppPeerScore {
  peerId: string;
  address: Address | undefined;
  /** Gossipsub's own score (negative after rejected messages). */
  gossipScore: number;
  connected: boolean;
}

/**
 * The peers of the open connections, one PeerId each. Not libp2p.getPeers(): that rebuilds every PeerId from its
 * string, which for a secp256k1 key decompresses a curve point each time (a fifth of a 20-node process's CPU).
 */
export function connectedPeers(libp2p: Libp2p): PeerId[] {
  const byId = new Map<string, PeerId>();
  for (const c of libp2p.getConnections()) byId.set(c.remotePeer.toString(), c.remotePeer);
  return [...byId.values()];
}

/** PeerId strings of the open connections. */
export function connectedPeerIds(libp2p: Libp2p): Set<string> {
  return new Set(libp2p.getConnections().map((c) => c.remotePeer.toString()));
}

export function toDialTarget(target: string | Multiaddr | PeerId): PeerId | Multiaddr {
  if (typeof target !== 'string') return target;
  return target.startsWith('/') ? multiaddr(target) : peerIdFromString(target);
}

export function safeAddress(peer: PeerId): Address | undefined {
  try {
    return addressFromPeerId(peer);
  } catch {
    return undefined;
  }
}

export function addressOfPeerIdString(peerId: string): Address | undefined {
  const known = knownAddressOfPeerId(peerId);
  if (known !== undefined) return known;
  try {
    return safeAddress(peerIdFromString(peerId));
  } catch {
    return undefined;
  }
}

export function peerDetail(peerId: string): PeerEventDetail {
  return { peerId, address: addressOfPeerIdString(peerId) };
}

/** Scores of every connected or penalised peer: the app-level book's and gossipsub's. */
export function collectPeerScores(libp2p: Libp2p<AicLibp2pServices>, scores: PeerScoreBook): PeerScore[] {
  const book = scores.snapshot(Date.now());
  const connected = connectedPeerIds(libp2p);
  const ids = new Set([...connected, ...book.keys()]);
  const pubsub = libp2p.services.pubsub as unknown as { getScore(id: string): number };
  return [...ids].map((id) => ({
    peerId: id,
    address: addressOfPeerIdString(id),
    score: 0,
    offences: {},
    ...book.get(id),
    gossipScore: pubsub.getScore(id),
    connected: connected.has(id),
  }));
}
