/**
 * Per-key token buckets (pure: the caller passes the clock): `ratePerSecond` tokens refill continuously up to
 * `burst`; each event takes one. Keys idle long enough to be full again are forgotten, so memory follows activity.
 */
export class TokenBuckets {
  readonly #rate: number;
  readonly #burst: number;
  readonly #buckets = new Map<string, { tokens: number; updatedMs: number }>();

  constructor(ratePerSecond: number, burst: number) {
    this.#rate = ratePerSecond / 1000;
    this.#burst = burst;
  }

  /** Takes one token for `key`; false when its bucket is empty (the event is over the rate). */
  take(key: string, nowMs: number): boolean {
    const bucket = this.#buckets.get(key) ?? { tokens: this.#burst, updatedMs: nowMs };
    bucket.tokens = Math.min(this.#burst, bucket.tokens + (nowMs - bucket.updatedMs) * this.#rate);
    bucket.updatedMs = nowMs;
    this.#buckets.set(key, bucket);
    if (this.#buckets.size > 10_000) this.#forgetFull(nowMs);
    if (bucket.tokens < 1) return false;
    bucket.tokens -= 1;
    return true;
  }

  #forgetFull(nowMs: number): void {
    for (const [key, bucket] of this.#buckets) {
      if (bucket.tokens + (nowMs - bucket.updatedMs) * this.#rate >= this.#burst) this.#buckets.delete(key);
    }
  }
}
