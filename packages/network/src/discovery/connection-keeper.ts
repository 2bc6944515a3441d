import type { Libp2p, PeerId } from '@libp2p/interface';
import { peerIdFromString } from '@libp2p/peer-id';
import { multiaddr } from '@multiformats/multiaddr';
import type { NetworkLogger } from '../logger.ts';
import { connectedPeerIds, connectedPeers } from '../peers.ts';
import { type CandidateSource, PeerCandidates, type PeerCandidatesInit } from './peer-candidates.ts';

/** Connection keeping (see {@link ConnectionKeeper}); every field has a default. */
export interface ConnectionKeeperInit {
  /** Connections the node keeps up (dialling known peers while below). */
  targetPeers: number;
  /** Below this many connections the node is "underconnected" (status, a warning log). Default min(3, target). */
  minPeers?: number;
  /** Maintenance period: health check and dials. Default 2 s (±25 % jitter). */
  intervalMs?: number;
  /** Shortest gap between two peer exchanges when nothing is left to dial (default 2 s); doubles when fruitless… */
  exchangeIntervalMs?: number;
  /** …up to this. Default 30 s. */
  maxExchangeIntervalMs?: number;
  /** One dial's time limit. Default 20 s (handshakes are slow on a busy machine). */
  dialTimeoutMs?: number;
  /** Dials in flight at most. Default 4. */
  maxParallelDials?: number;
  /** No "underconnected" warning in the first this many ms after start (every node starts with 0 peers). */
  warnGraceMs?: number;
  candidates?: PeerCandidatesInit;
}

/** What a node's connection health looks like (GET /v1/status shows it). */
export interface Connectivity {
  connectedPeers: number;
  targetPeers: number;
  minPeers: number;
  /** connectedPeers < minPeers. */
  underconnected: boolean;
  /** Peers known (by peer exchange, gossip or a lost connection) and not yet given up on. */
  knownPeers: number;
}

export interface ConnectionKeeperComponents {
  libp2p: Libp2p;
  /** Asks one connected peer for some of its peers (the peer-exchange client). */
  exchange(peer: PeerId, signal: AbortSignal): Promise<Array<{ id: string; addrs: string[] }>>;
  isBanned(peerId: string): boolean;
  /** Called when `underconnected` flips. */
  onChange(connectivity: Connectivity): void;
  logger: NetworkLogger;
  signal: AbortSignal;
}

const REEXCHANGE_SAME_PEER_MS = 10_000;
const MIN_TICK_MS = 50;

/**
 * Keeps a node at `targetPeers` connections: it dials peers it has learned of (peer exchange answers, the origin
 * peer carried by gossiped offers, connections it lost), backing off per peer with jitter, and asks a connected peer
 * for more when it has nobody left to dial. Health is `underconnected` below `minPeers`; each flip is an event and,
 * after a start-up grace, one log line (a warning going down, info coming back). All timers are unref'd and cleared
 * on stop; the bootstrap list keeps its own dialer.
 */
export class ConnectionKeeper {
  readonly #c: ConnectionKeeperComponents;
  readonly #target: number;
  readonly #min: number;
  readonly #intervalMs: number;
  readonly #exchangeBaseMs: number;
  readonly #exchangeMaxMs: number;
  readonly #dialTimeoutMs: number;
  readonly #maxDials: number;
  readonly #graceMs: number;
  readonly #candidates: PeerCandidates;
  readonly #dialing = new Set<string>();
  readonly #exchangedAt = new Map<string, number>();
  #exchangeIntervalMs: number;
  #nextExchangeMs = 0;
  #exchanging = false;
  #timer: { handle: ReturnType<typeof setTimeout>; atMs: number } | undefined;
  #startedAtMs = 0;
  #underconnected: boolean | undefined;
  #logged: boolean | undefined;
  #running = false;

  constructor(components: ConnectionKeeperComponents, init: ConnectionKeeperInit) {
    this.#c = components;
    this.#target = Math.max(0, init.targetPeers);
    this.#min = Math.min(this.#target, init.minPeers ?? 3);
    this.#intervalMs = init.intervalMs ?? 2_000;
    this.#exchangeBaseMs = init.exchangeIntervalMs ?? 2_000;
    this.#exchangeMaxMs = init.maxExchangeIntervalMs ?? 30_000;
    this.#exchangeIntervalMs = this.#exchangeBaseMs;
    this.#dialTimeoutMs = init.dialTimeoutMs ?? 20_000;
    this.#maxDials = init.maxParallelDials ?? 4;
    this.#graceMs = init.warnGraceMs ?? 15_000;
    this.#candidates = new PeerCandidates(init.candidates);
  }

  start(): void {
    this.#running = true;
    this.#startedAtMs = Date.now();
    this.#schedule(0);
  }

  stop(): void {
    this.#running = false;
    if (this.#timer !== undefined) clearTimeout(this.#timer.handle);
    this.#timer = undefined;
  }

  connectivity(): Connectivity {
    const connectedPeers = connectedPeerIds(this.#c.libp2p).size;
    return {
      connectedPeers,
      targetPeers: this.#target,
      minPeers: this.#min,
      underconnected: connectedPeers < this.#min,
      knownPeers: this.#candidates.size,
    };
  }

  /** A peer worth dialling, with its addresses (with or without the /p2p suffix). */
  learn(peerId: string, addrs: readonly string[], source: CandidateSource): void {
    if (!this.#running || peerId === this.#c.libp2p.peerId.toString()) return;
    // Every path that adds a candidate validated its PeerId; re-parsing one (it decompresses a secp256k1 key) on
    // each gossiped offer of a known provider was ~10 % of a 30-node process's CPU.
    if (this.#candidates.get(peerId) === undefined && !isPeerId(peerId)) return;
    const clean = dialableAddrs(addrs);
    const fresh = this.#candidates.learn(peerId, clean, source, Date.now());
    if (fresh && clean.length > 0) void this.#remember(peerId, clean);
    if (fresh && this.#belowTarget() && !this.#isConnected(peerId)) this.#schedule(0);
  }

  onConnect(peer: PeerId): void {
    if (!this.#running) return;
    this.#candidates.connected(peer.toString());
    this.#updateHealth();
    // A fresh neighbour is the cheapest source of more: ask it right away while below target.
    if (this.#belowTarget()) void this.#exchangeWith(peer);
  }

  onDisconnect(peer: PeerId): void {
    if (!this.#running) return;
    const id = peer.toString();
    this.#updateHealth();
    if (this.#c.isBanned(id)) {
      this.#candidates.forget(id);
      return;
    }
    // Redial a lost peer after a short jittered pause (its failures start counting only if that dial fails).
    const delayMs = this.#candidates.backoffMs(1) / 2;
    this.#candidates.learn(id, [], 'lost', Date.now(), delayMs);
    this.#exchangeIntervalMs = this.#exchangeBaseMs;
    this.#schedule(delayMs);
  }

  #tick(): void {
    this.#timer = undefined;
    if (!this.#running || this.#c.signal.aborted) return;
    this.#updateHealth();
    const now = Date.now();
    const connected = connectedPeerIds(this.#c.libp2p);
    const room = this.#target - connected.size - this.#dialing.size;
    const exclude = (id: string) => this.#dialing.has(id) || connected.has(id) || this.#c.isBanned(id);
    const slots = Math.min(room, this.#maxDials - this.#dialing.size);
    const due = this.#candidates.due(now, slots, exclude);
    for (const candidate of due) void this.#dial(candidate.peerId, candidate.addrs);
    if (due.length === 0 && room > 0 && now >= this.#nextExchangeMs) void this.#exchangeWithSomeone();
    // With free dial slots, wake when the next candidate's backoff ends; with none, a finishing dial wakes us.
    let delay = this.#intervalMs * (0.75 + Math.random() / 2);
    if (slots > due.length) {
      const next = this.#candidates.nextDueMs(exclude);
      if (next !== undefined) delay = Math.min(delay, Math.max(MIN_TICK_MS, next - now));
    }
    this.#schedule(delay);
  }

  async #dial(peerId: string, addrs: string[]): Promise<void> {
    this.#dialing.add(peerId);
    try {
      if (addrs.length > 0) await this.#remember(peerId, addrs);
      const signal = AbortSignal.any([this.#c.signal, AbortSignal.timeout(this.#dialTimeoutMs)]);
      await this.#c.libp2p.dial(peerIdFromString(peerId), { signal });
      this.#candidates.connected(peerId);
    } catch (error) {
      if (this.#c.signal.aborted) return;
      const retryInMs = this.#candidates.failed(peerId, Date.now());
      this.#c.logger.debug({ peer: peerId, err: (error as Error).message, retryInMs }, 'peer dial failed');
    } finally {
      this.#dialing.delete(peerId);
      if (this.#running) this.#schedule(0);
    }
  }

  async #exchangeWithSomeone(): Promise<void> {
    const peers = connectedPeers(this.#c.libp2p);
    if (peers.length === 0 || this.#exchanging) return;
    // The neighbour asked longest ago (never asked first).
    const peer = peers.reduce((a, b) =>
      (this.#exchangedAt.get(a.toString()) ?? 0) <= (this.#exchangedAt.get(b.toString()) ?? 0) ? a : b,
    );
    this.#exchanging = true;
    const fresh = await this.#exchangeWith(peer, true).finally(() => {
      this.#exchanging = false;
    });
    this.#exchangeIntervalMs =
      fresh > 0 ? this.#exchangeBaseMs : Math.min(this.#exchangeMaxMs, this.#exchangeIntervalMs * 2);
    this.#nextExchangeMs = Date.now() + this.#exchangeIntervalMs;
  }

  /** Asks `peer` for its peers; returns how many were new to us. */
  async #exchangeWith(peer: PeerId, force = false): Promise<number> {
    const id = peer.toString();
    const now = Date.now();
    if (!force && now - (this.#exchangedAt.get(id) ?? 0) < REEXCHANGE_SAME_PEER_MS) return 0;
    this.#exchangedAt.set(id, now);
    if (this.#exchangedAt.size > 1024) this.#exchangedAt.delete(this.#exchangedAt.keys().next().value ?? '');
    try {
      const peers = await this.#c.exchange(peer, this.#c.signal);
      const connected = connectedPeerIds(this.#c.libp2p);
      const self = this.#c.libp2p.peerId.toString();
      let fresh = 0;
      for (const p of peers) {
        if (p.id === self || connected.has(p.id) || this.#candidates.get(p.id) !== undefined || !isPeerId(p.id))
          continue;
        const clean = dialableAddrs(p.addrs);
        if (this.#candidates.learn(p.id, clean, 'peer-exchange', Date.now())) fresh++;
      }
      if (fresh > 0) this.#schedule(0);
      return fresh;
    } catch (error) {
      this.#c.logger.debug({ peer: id, err: (error as Error).message }, 'peer exchange failed');
      return 0;
    }
  }

  async #remember(peerId: string, addrs: string[]): Promise<void> {
    try {
      await this.#c.libp2p.peerStore.merge(peerIdFromString(peerId), { multiaddrs: addrs.map((a) => multiaddr(a)) });
    } catch (error) {
      this.#c.logger.debug({ peer: peerId, err: (error as Error).message }, 'peer addresses not stored');
    }
  }

  #updateHealth(): void {
    const connectivity = this.connectivity();
    const under = connectivity.underconnected;
    if (under !== this.#underconnected) {
      this.#underconnected = under;
      this.#c.onChange(connectivity);
    }
    const log = this.#c.logger;
    if (under && this.#logged !== true && Date.now() - this.#startedAtMs >= this.#graceMs) {
      this.#logged = true;
      log.warn({ ...connectivity }, `underconnected: ${connectivity.connectedPeers} of at least ${this.#min} peers`);
    } else if (!under && this.#logged === true) {
      this.#logged = false;
      log.info({ ...connectivity }, `connectivity restored: ${connectivity.connectedPeers} peers`);
    }
  }

  #belowTarget(): boolean {
    return connectedPeerIds(this.#c.libp2p).size < this.#target;
  }

  #isConnected(peerId: string): boolean {
    return connectedPeerIds(this.#c.libp2p).has(peerId);
  }

  /** Runs a tick in `delayMs` unless one is already due sooner. */
  #schedule(delayMs: number): void {
    if (!this.#running) return;
    const atMs = Date.now() + delayMs;
    if (this.#timer !== undefined) {
      if (this.#timer.atMs <= atMs) return;
      clearTimeout(this.#timer.handle);
    }
    const handle = setTimeout(() => this.#tick(), delayMs);
    handle.unref();
    this.#timer = { handle, atMs };
  }
}

function isPeerId(id: string): boolean {
  try {
    peerIdFromString(id);
    return true;
  } catch {
    return false;
  }
}

/** Parsable multiaddrs with any /p2p/<id> suffix removed (the peer store keys them by PeerId); at most 8. */
function dialableAddrs(addrs: readonly string[]): string[] {
  const out: string[] = [];
  for (const a of addrs.slice(0, 8)) {
    try {
      out.push(multiaddr(a).decapsulateCode(421).toString());
    } catch {
      // an unparsable hint is ignored
    }
  }
  return [...new Set(out)].filter((a) => a.length > 0 && a !== '/');
}
