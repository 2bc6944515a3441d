/**
 * Who holds which dataset or model (open market interface 4): what peers announce on `aic/holdings/1` (signed, each
 * announcement the holder's full current set, valid for its TTL), and what this node holds itself. Data fetchers,
 * the allocator's locality and paid inference ask `holdersOf`; the node's own services `announce` what they hold.
 */
import type { Holding, HoldingsEventDetail } from '@aic/network';

export type HoldingKind = Holding['kind'];
export type HoldingRole = Holding['role'];
export type { Holding };

/** A Vivaldi coordinate as announced (a locality hint, not a proof). */
export interface HolderCoordinate {
  readonly vec: readonly number[];
  readonly height: number;
  readonly error: number;
}

/** One holder of an asset, as `holdersOf` answers. */
export interface Holder {
  readonly peerId: string;
  /** The holder's Ethereum address (the envelope's signer). */
  readonly address: string;
  readonly role: HoldingRole;
  readonly bytes: number;
  readonly root: string;
  readonly coordinate?: HolderCoordinate | undefined;
  /** Listen addresses it announced (to dial it when not connected). */
  readonly multiaddrs: readonly string[];
}

interface PeerHoldings {
  readonly peerId: string;
  readonly address: string;
  readonly holdings: readonly Holding[];
  readonly coordinate?: HolderCoordinate | undefined;
  readonly multiaddrs: readonly string[];
  readonly issuedAtMs: number;
  readonly expiresAtMs: number;
}

const keyOf = (kind: HoldingKind, assetId: string) => `${kind}:${assetId}`;

/** The book. `onOwnChange` is called when this node's own set changes (the announcer re-gossips at once). */
export class HoldingsBook {
  readonly #peers = new Map<string, PeerHoldings>();
  readonly #own = new Map<string, Holding>();
  readonly #listeners: Array<() => void> = [];

  constructor(
    private readonly self: { peerId: string },
    private readonly now: () => number = Date.now,
  ) {}

  /** Records a peer's verified announcement; an older one than what is held is ignored (gossip reorders). */
  receive(detail: HoldingsEventDetail): void {
    const peerId = detail.payload.peer.id;
    if (peerId === this.self.peerId) return;
    const known = this.#peers.get(peerId);
    if (known !== undefined && known.issuedAtMs > detail.timestampMs) return;
    this.#peers.set(peerId, {
      peerId,
      address: detail.sender,
      holdings: detail.payload.holdings,
      coordinate: detail.payload.coordinate,
      multiaddrs: detail.payload.peer.addrs,
      issuedAtMs: detail.timestampMs,
      expiresAtMs: detail.expiresAtMs,
    });
  }

  /**
   * Other nodes holding `assetId` of `kind` now (announcements not yet expired), owners first, then replicas,
   * serving nodes and caches. This node itself is not listed: callers look in their own ContentStore first.
   */
  holdersOf(kind: HoldingKind, assetId: string): Holder[] {
    const now = this.now();
    const found: Holder[] = [];
    for (const [peerId, peer] of this.#peers) {
      if (peer.expiresAtMs <= now) {
        this.#peers.delete(peerId);
        continue;
      }
      for (const h of peer.holdings) {
        if (h.kind !== kind || h.assetId !== assetId) continue;
        found.push({
          peerId,
          address: peer.address,
          role: h.role,
          bytes: h.bytes,
          root: h.root,
          coordinate: peer.coordinate,
          multiaddrs: peer.multiaddrs,
        });
      }
    }
    const rank: Record<HoldingRole, number> = { owner: 0, replica: 1, serving: 2, cache: 3 };
    return found.sort((a, b) => rank[a.role] - rank[b.role]);
  }

  /** Adds (or replaces) one of this node's own holdings; it is gossiped at once and with every re-announcement. */
  announce(holding: Holding): void {
    this.#own.set(keyOf(holding.kind, holding.assetId), { ...holding, root: holding.root.toLowerCase() as never });
    for (const listener of this.#listeners) listener();
  }

  /** Removes one of this node's own holdings (a dropped replica, an evicted cache entry). */
  withdraw(kind: HoldingKind, assetId: string): void {
    if (this.#own.delete(keyOf(kind, assetId))) for (const listener of this.#listeners) listener();
  }

  /** This node's own holdings, as announced. */
  own(): Holding[] {
    return [...this.#own.values()];
  }

  onOwnChange(listener: () => void): void {
    this.#listeners.push(listener);
  }
}
