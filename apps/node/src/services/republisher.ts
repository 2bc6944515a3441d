import type { Logger } from 'pino';
import type { Offer } from '../api/schemas.ts';
import type { NodeNetwork } from '../network-port.ts';
import type { ItemBook } from './item-book.ts';

/** A started node service: `stop()` clears its timers and waits for the work it has in flight. */
export interface RunningService {
  stop(): Promise<void>;
}

/** Own offers are gossiped again with their remaining TTL, so peers that joined since also learn them. Starts at
 * once; `stop()` clears the timer and waits for a republish in flight (before the network stops under it). */
export function startRepublishing(
  network: NodeNetwork,
  offers: ItemBook<Offer>,
  intervalMs: number,
  c: { now: () => number; log: Logger },
): RunningService {
  let inFlight: Promise<void> = Promise.resolve();
  const republish = async () => {
    for (const offer of offers.ownUnexpired()) {
      const ttlSeconds = Math.floor((offer.expiresAtMs - c.now()) / 1000);
      if (ttlSeconds < 1) continue;
      const { provider: _p, issuedAtMs: _i, expiresAtMs: _e, ...body } = offer;
      await network.publishOffer({ ...body, ttlSeconds });
    }
  };
  const run = () => {
    inFlight = republish().catch((err: unknown) => c.log.debug({ err }, 'republish failed'));
  };
  const timer = setInterval(run, intervalMs);
  run();
  return {
    async stop() {
      clearInterval(timer);
      await inFlight;
    },
  };
}
