/** Gossips this node's holdings on `aic/holdings/1`: every preset interval, and soon after its own set changes. */
import { DEFAULT_PRESET } from '@aic/core/params';
import { type AicNetwork, MAX_HOLDINGS_PER_ANNOUNCEMENT } from '@aic/network';
import type { Logger } from 'pino';
import type { HoldingsBook } from './holdings-book.ts';

export interface HoldingsAnnouncerInit {
  intervalMs?: number;
  ttlSeconds?: number;
}

export interface HoldingsAnnouncer {
  /** Announces now (resolves when sent; a failure is logged, never thrown). */
  announceNow(): Promise<void>;
  stop(): Promise<void>;
}

/**
 * Subscribes the book to peers' announcements and starts re-announcing this node's own holdings. A node holding
 * nothing stays silent. A change of the own set is announced on the next tick of the event loop (several changes
 * in a row make one message).
 */
export function startHoldingsAnnouncer(
  net: AicNetwork,
  book: HoldingsBook,
  init: HoldingsAnnouncerInit,
  log: Logger,
): HoldingsAnnouncer {
  const intervalMs = init.intervalMs ?? DEFAULT_PRESET.node.holdingsIntervalMs;
  const ttlSeconds = init.ttlSeconds ?? DEFAULT_PRESET.node.holdingsTtlSeconds;
  const onHoldings = (event: CustomEvent<Parameters<HoldingsBook['receive']>[0]>) => book.receive(event.detail);
  net.addEventListener('holdings', onHoldings);
  let stopped = false;
  let pending: Promise<void> | undefined;
  const announceNow = async () => {
    const holdings = book.own().slice(0, MAX_HOLDINGS_PER_ANNOUNCEMENT);
    if (stopped || holdings.length === 0) return;
    try {
      await net.publishHoldings({ holdings, ttlSeconds });
    } catch (error) {
      // No peer subscribed yet, or the network is stopping: the next interval tries again.
      log.debug({ err: error instanceof Error ? error.message : String(error) }, 'holdings not announced');
    }
  };
  book.onOwnChange(() => {
    pending ??= new Promise<void>((resolve) => setImmediate(resolve)).then(async () => {
      pending = undefined;
      await announceNow();
    });
  });
  const timer = setInterval(() => void announceNow(), intervalMs);
  timer.unref();
  // What the node held before this start is announced at once (peers that are connected hear it now).
  if (book.own().length > 0) void announceNow();
  return {
    announceNow,
    async stop() {
      stopped = true;
      clearInterval(timer);
      net.removeEventListener('holdings', onHoldings);
      await pending;
    },
  };
}
