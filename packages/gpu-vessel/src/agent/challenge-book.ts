/**
 * The coordinator's record of hardware challenges per provider. A provider counts only once its challenge passed;
 * one that failed is challenged again (on its next offer) after `retryAfterMs`: an honest provider that missed a
 * deadline under load (a stalled event loop, a dial during start-up) gets another try, while an over-claim fails
 * every time it is retried. Pure bookkeeping: the caller runs the challenges.
 */
import { DEFAULT_PRESET } from '@aic/core/params';

interface Entry {
  outcome: Promise<boolean>;
  sentAtMs: number;
  passed?: boolean;
}

export class ChallengeBook {
  readonly #entries = new Map<string, Entry>();

  constructor(private readonly retryAfterMs = DEFAULT_PRESET.coordinator.rechallengeAfterMs) {}

  /** Whether `provider` should be challenged now: never challenged, or failed at least `retryAfterMs` ago. */
  due(provider: string, nowMs: number): boolean {
    const last = this.#entries.get(provider.toLowerCase());
    if (!last) return true;
    return last.passed === false && nowMs - last.sentAtMs >= this.retryAfterMs;
  }

  /** Records a challenge sent at `sentAtMs` whose outcome (passed or not; never rejects) is `outcome`. */
  record(provider: string, outcome: Promise<boolean>, sentAtMs: number): void {
    const entry: Entry = { outcome, sentAtMs };
    void outcome.then((passed) => {
      entry.passed = passed;
    });
    this.#entries.set(provider.toLowerCase(), entry);
  }

  /** The latest challenge's outcome (waits while one runs); undefined when never challenged. */
  async passed(provider: string): Promise<boolean | undefined> {
    return await this.#entries.get(provider.toLowerCase())?.outcome;
  }
}
