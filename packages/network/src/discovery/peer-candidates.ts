/** Where a candidate peer was learned from (for logs and for which hints to trust first). */
export type CandidateSource = 'peer-exchange' | 'gossip' | 'lost' | 'bootstrap';

export interface PeerCandidatesInit {
  /** Delay before the first retry of a failed dial; doubles per failure up to `maxBackoffMs`. Default 1 s. */
  baseBackoffMs?: number;
  /** Longest delay between two dials of one candidate. Default 60 s. */
  maxBackoffMs?: number;
  /** A candidate that failed this many dials in a row is forgotten (until learned again). Default 8. */
  maxFailures?: number;
  /** Candidates remembered at most; the least recently learned are forgotten first. Default 256. */
  maxCandidates?: number;
  /** Source of randomness in [0, 1) for jitter; injectable for tests. */
  random?: () => number;
}

/** One peer this node could dial. */
export interface PeerCandidate {
  peerId: string;
  /** Dialable multiaddrs without the /p2p suffix (may be empty: dial by PeerId through the peer store). */
  addrs: string[];
  source: CandidateSource;
  failures: number;
  /** Not dialled again before this (unix ms). */
  notBeforeMs: number;
  learnedAtMs: number;
}

/**
 * The pure part of connection keeping: which peers are worth dialling and when. A failed dial pushes a candidate
 * back by an exponential backoff with jitter (half fixed, half random, so that many nodes that lost the same peer
 * do not redial it in step); after `maxFailures` failures in a row it is forgotten. Learning a peer again (fresh
 * addresses from peer exchange or gossip) keeps its backoff: only a successful connection resets it.
 */
export class PeerCandidates {
  readonly #byId = new Map<string, PeerCandidate>();
  readonly #base: number;
  readonly #max: number;
  readonly #maxFailures: number;
  readonly #maxCandidates: number;
  readonly #random: () => number;

  constructor(init: PeerCandidatesInit = {}) {
    this.#base = init.baseBackoffMs ?? 1_000;
    this.#max = init.maxBackoffMs ?? 60_000;
    this.#maxFailures = init.maxFailures ?? 8;
    this.#maxCandidates = init.maxCandidates ?? 256;
    this.#random = init.random ?? Math.random;
  }

  get size(): number {
    return this.#byId.size;
  }

  get(peerId: string): PeerCandidate | undefined {
    return this.#byId.get(peerId);
  }

  /** Records (or refreshes) a candidate; returns true when it is new. */
  learn(peerId: string, addrs: readonly string[], source: CandidateSource, nowMs: number, delayMs = 0): boolean {
    const known = this.#byId.get(peerId);
    if (known !== undefined) {
      this.#byId.delete(peerId);
      const merged = [...new Set([...addrs, ...known.addrs])].slice(0, 8);
      const notBeforeMs = Math.max(known.notBeforeMs, nowMs + delayMs);
      this.#byId.set(peerId, { ...known, addrs: merged, source, learnedAtMs: nowMs, notBeforeMs });
      return false;
    }
    if (this.#byId.size >= this.#maxCandidates) this.#byId.delete(this.#byId.keys().next().value ?? '');
    const candidate = { peerId, addrs: addrs.slice(0, 8), source, failures: 0, notBeforeMs: nowMs + delayMs };
    this.#byId.set(peerId, { ...candidate, learnedAtMs: nowMs });
    return true;
  }

  /** A dial failed: back off (or forget the candidate after too many failures). Returns the delay, or undefined. */
  failed(peerId: string, nowMs: number): number | undefined {
    const candidate = this.#byId.get(peerId);
    if (candidate === undefined) return undefined;
    const failures = candidate.failures + 1;
    if (failures >= this.#maxFailures) {
      this.#byId.delete(peerId);
      return undefined;
    }
    const delayMs = this.backoffMs(failures);
    this.#byId.set(peerId, { ...candidate, failures, notBeforeMs: nowMs + delayMs });
    return delayMs;
  }

  /** A connection to the peer is up: its failures are forgotten. */
  connected(peerId: string): void {
    const candidate = this.#byId.get(peerId);
    if (candidate !== undefined) this.#byId.set(peerId, { ...candidate, failures: 0, notBeforeMs: 0 });
  }

  forget(peerId: string): void {
    this.#byId.delete(peerId);
  }

  /** The delay after `failures` failed dials: base·2^(n−1), capped, then jittered into [½, 1] of it. */
  backoffMs(failures: number): number {
    const ceiling = Math.min(this.#max, this.#base * 2 ** Math.max(0, failures - 1));
    return Math.round(ceiling / 2 + (ceiling / 2) * this.#random());
  }

  /**
   * Up to `limit` candidates due for a dial at `nowMs`, skipping `exclude` (connected, dialling, banned, self):
   * fewest failures first, ties broken at random so that nodes spread their dials.
   */
  due(nowMs: number, limit: number, exclude: (peerId: string) => boolean): PeerCandidate[] {
    if (limit <= 0) return [];
    const ready = [...this.#byId.values()].filter((c) => c.notBeforeMs <= nowMs && !exclude(c.peerId));
    const keyed = ready.map((c) => ({ c, key: c.failures + this.#random() }));
    return keyed
      .sort((a, b) => a.key - b.key)
      .slice(0, limit)
      .map((k) => k.c);
  }

  /** Earliest time a candidate not excluded becomes due (undefined when none is waiting). */
  nextDueMs(exclude: (peerId: string) => boolean): number | undefined {
    let next: number | undefined;
    for (const c of this.#byId.values()) {
      if (exclude(c.peerId)) continue;
      if (next === undefined || c.notBeforeMs < next) next = c.notBeforeMs;
    }
    return next;
  }
}
