import { WIRE_LIMITS } from '../limits.ts';

/** Why the replay guard refused a message. */
export type ReplayVerdict = 'fresh' | 'replayed' | 'stale' | 'future';

export interface ReplayGuardInit {
  maxMessageAgeMs?: number;
  maxClockSkewMs?: number;
  maxEntries?: number;
}

/**
 * Rejects replays: a (sender, seq) pair is accepted once, and only while its signed timestamp lies inside the
 * window [now − maxAge, now + skew]. A pair is remembered until its timestamp leaves the window, after which the
 * timestamp check alone refuses it, so memory stays bounded by the message rate times the window (and by
 * `maxEntries`, beyond which the oldest pairs are forgotten first). Pure: the caller passes the clock.
 */
export class ReplayGuard {
  readonly #maxAgeMs: number;
  readonly #skewMs: number;
  readonly #maxEntries: number;
  /** key → expiry (ms); Map keeps insertion order, which is close to expiry order. */
  readonly #seen = new Map<string, number>();

  constructor(init: ReplayGuardInit = {}) {
    this.#maxAgeMs = init.maxMessageAgeMs ?? WIRE_LIMITS.maxMessageAgeMs;
    this.#skewMs = init.maxClockSkewMs ?? WIRE_LIMITS.maxClockSkewMs;
    this.#maxEntries = init.maxEntries ?? WIRE_LIMITS.replayCacheEntries;
  }

  /** Checks a message without remembering it (call `remember` once it has passed every other check). */
  check(sender: string, seq: number, timestampMs: number, nowMs: number): ReplayVerdict {
    if (timestampMs < nowMs - this.#maxAgeMs) return 'stale';
    if (timestampMs > nowMs + this.#skewMs) return 'future';
    const expiry = this.#seen.get(replayKey(sender, seq));
    return expiry !== undefined && expiry >= nowMs ? 'replayed' : 'fresh';
  }

  /** Records (sender, seq) as seen until its timestamp leaves the window. */
  remember(sender: string, seq: number, timestampMs: number, nowMs: number): void {
    this.#prune(nowMs);
    const key = replayKey(sender, seq);
    this.#seen.delete(key);
    this.#seen.set(key, timestampMs + this.#maxAgeMs);
  }

  /** Pairs currently remembered. */
  get size(): number {
    return this.#seen.size;
  }

  #prune(nowMs: number): void {
    for (const [key, expiry] of this.#seen) {
      if (expiry >= nowMs && this.#seen.size < this.#maxEntries) break;
      this.#seen.delete(key);
    }
  }
}

function replayKey(sender: string, seq: number): string {
  return `${sender.toLowerCase()}:${seq}`;
}
