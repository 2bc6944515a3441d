import { OFFENCE_PENALTY, type Offence } from './offences.ts';

export interface PeerScoreBookInit {
  /** At or below this score a peer is banned. Default −100. */
  banThreshold?: number;
  /** How long a ban lasts. Default 10 minutes. */
  banDurationMs?: number;
  /** Points a negative score recovers per second (forgiveness for honest glitches). Default 0.1. */
  recoveryPerSecond?: number;
}

/** One peer's app-level standing. */
export interface AppPeerScore {
  score: number;
  offences: Partial<Record<Offence, number>>;
  bannedUntilMs?: number;
}

/** Result of recording an offence: the new score and whether this offence triggered a ban. */
export interface PenaltyOutcome {
  score: number;
  banned: boolean;
  offence: Offence;
}

/**
 * App-level peer score (beside gossipsub's own): offences lower it, time slowly restores it toward 0,
 * and crossing the threshold bans the peer for a while. Pure: the caller passes the clock.
 */
export class PeerScoreBook {
  readonly #threshold: number;
  readonly #banMs: number;
  readonly #recoveryPerMs: number;
  readonly #peers = new Map<string, AppPeerScore & { updatedMs: number }>();

  constructor(init: PeerScoreBookInit = {}) {
    this.#threshold = init.banThreshold ?? -100;
    this.#banMs = init.banDurationMs ?? 10 * 60_000;
    this.#recoveryPerMs = (init.recoveryPerSecond ?? 0.1) / 1000;
  }

  /** Lowers `peer`'s score for `offence`; bans it when the score reaches the threshold. */
  penalize(peer: string, offence: Offence, nowMs: number): PenaltyOutcome {
    const entry = this.#current(peer, nowMs);
    entry.score -= OFFENCE_PENALTY[offence];
    entry.offences[offence] = (entry.offences[offence] ?? 0) + 1;
    const alreadyBanned = this.isBanned(peer, nowMs);
    const banned = !alreadyBanned && entry.score <= this.#threshold;
    if (banned) entry.bannedUntilMs = nowMs + this.#banMs;
    return { score: entry.score, banned, offence };
  }

  /** True while `peer` is serving a ban. */
  isBanned(peer: string, nowMs: number): boolean {
    const until = this.#peers.get(peer)?.bannedUntilMs;
    return until !== undefined && until > nowMs;
  }

  /** The current score of `peer` (0 for a peer never penalised). */
  score(peer: string, nowMs: number): number {
    return this.#peers.has(peer) ? this.#current(peer, nowMs).score : 0;
  }

  /** Every peer with a record: score, offence counts and ban expiry. */
  snapshot(nowMs: number): Map<string, AppPeerScore> {
    const out = new Map<string, AppPeerScore>();
    for (const peer of [...this.#peers.keys()]) {
      const { updatedMs: _updated, ...rest } = this.#current(peer, nowMs);
      out.set(peer, { ...rest, offences: { ...rest.offences } });
    }
    return out;
  }

  /** Applies the recovery earned since the last update. */
  #current(peer: string, nowMs: number): AppPeerScore & { updatedMs: number } {
    let entry = this.#peers.get(peer);
    if (entry === undefined) {
      entry = { score: 0, offences: {}, updatedMs: nowMs };
      this.#peers.set(peer, entry);
    }
    const recovered = Math.max(0, nowMs - entry.updatedMs) * this.#recoveryPerMs;
    entry.score = Math.min(0, entry.score + recovered);
    entry.updatedMs = nowMs;
    return entry;
  }
}
