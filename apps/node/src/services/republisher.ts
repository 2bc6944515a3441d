import type { Logger } from 'pino';
import type { Offer } from '../api/schemas.ts';
import type { NodeNetwork } from '../network-port.ts';
import type { ItemBook } from './item-book.ts';

/** Own offers are gossiped again with their remaining TTL, so peers that joined since also learn them. */
export function startRepublishing(
  network: NodeNetwork,
  offers: ItemBook<Offer>,
  intervalMs: number,
  c: { now: () => number; log: Logger },
): NodeJS.Timeout {
  const republish = async () => {
    for (const offer of offers.ownUnexpired()) {
      const ttlSeconds = Math.floor((offer.expiresAtMs - c.now()) / 1000);
      if (ttlSeconds < 1) continue;
      const { provider: _p, issuedAtMs: _i, expiresAtMs: _e, ...body } = offer;
      await network.publishOffer({ ...body, ttlSeconds });
    }
  };
  const timer = setInterval(() => {
    republish().catch((err: unknown) => c.log.debug({ err }, 'republish failed'));
  }, intervalMs);
  timer.unref();
  void republish().catch((err: unknown) => c.log.debug({ err }, 'republish failed'));
  return timer;
}
