/**
 * Follows ComputeMarket's events by polling `eth_getLogs` over new blocks (HTTP JSON-RPC has no subscriptions) and
 * hands each decoded event, in chain order, to typed per-event handlers. The block it has processed last can be kept
 * in a cursor, so a restarted node goes on from there instead of re-reading the chain from genesis; a role that
 * rebuilds its view from the chain's history (the coordinator's bookkeeping) asks for a replay from an earlier block
 * when it subscribes. Handlers re-read the job's state before acting, so an event seen twice does no harm.
 */
import { isAicError, pause } from '@aic/core';
import { computeMarketAbi, type LedgerClient } from '@aic/ledger';
import type { ContractEventName, GetContractEventsReturnType } from 'viem';

export type MarketEventName = ContractEventName<typeof computeMarketAbi>;
/** A decoded event with its typed arguments (a union of names gives the union of their events). */
export type MarketEventOf<N extends MarketEventName> = N extends MarketEventName
  ? {
      eventName: N;
      args: GetContractEventsReturnType<typeof computeMarketAbi, N, true>[number]['args'];
      blockNumber: bigint;
    }
  : never;
export type MarketEvent = MarketEventOf<MarketEventName>;
/** One handler per event name a listener cares about, each with that event's typed arguments. */
export type MarketHandlers = { [N in MarketEventName]?: (event: MarketEventOf<N>) => unknown };

/** Where the watcher keeps the last block whose events every listener has handled. */
export interface BlockCursor {
  load(): Promise<bigint | undefined>;
  save(block: bigint): Promise<void>;
}

export interface MarketWatcher {
  /** Subscribes; `replayFrom` also delivers earlier events from that block (default: only from where the watcher
   * goes on). Returns the unsubscribe function. */
  on(handlers: MarketHandlers, options?: { replayFrom?: bigint }): () => void;
  /** Polls until stopped; the first poll starts after the cursor's block (genesis without one). */
  start(): Promise<void>;
  /** Stops polling and waits (at most 5 s) for the poll in flight, its handlers included, to end. */
  stop(): Promise<void>;
}

/** How long stop() waits for the poll in flight. */
const STOP_WAIT_MS = 5_000;

interface Listener {
  handlers: MarketHandlers;
  /** Next block this listener has not seen; below the watcher's own start it gets a replay. */
  from: bigint | undefined;
}

export function watchMarket(
  ledger: LedgerClient,
  options: { intervalMs?: number; cursor?: BlockCursor; onError?: (error: unknown) => void } = {},
): MarketWatcher {
  const listeners = new Set<Listener>();
  const controller = new AbortController();
  let next = 0n;
  let loop: Promise<void> | undefined;

  const deliver = async (event: MarketEvent, to: Iterable<Listener>) => {
    for (const listener of to) {
      const handler = listener.handlers[event.eventName] as ((e: MarketEvent) => unknown) | undefined;
      if (!handler) continue;
      try {
        await handler(event);
      } catch (error) {
        options.onError?.(error);
      }
    }
  };

  const fetchEvents = async (fromBlock: bigint, toBlock: bigint): Promise<MarketEvent[]> => {
    const logs = await ledger.publicClient.getContractEvents({
      address: ledger.market.address,
      abi: computeMarketAbi,
      fromBlock,
      toBlock,
      strict: true,
    });
    return logs.map(
      (log) => ({ eventName: log.eventName, args: log.args, blockNumber: log.blockNumber }) as MarketEvent,
    );
  };

  /** Listeners that subscribed asking for history before `next` get it once, before new blocks. */
  const replay = async () => {
    const behind = [...listeners].filter((l) => l.from !== undefined && l.from < next);
    if (behind.length === 0) return;
    let from = next;
    for (const l of behind) if (l.from !== undefined && l.from < from) from = l.from;
    const events = await fetchEvents(from, next - 1n);
    for (const event of events)
      await deliver(
        event,
        behind.filter((l) => (l.from ?? next) <= event.blockNumber),
      );
    for (const l of behind) l.from = undefined;
  };

  const poll = async () => {
    await replay();
    const head = await ledger.publicClient.getBlockNumber({ cacheTime: 0 });
    if (head < next) return;
    const events = await fetchEvents(next, head);
    for (const event of events) {
      if (controller.signal.aborted) return;
      await deliver(
        event,
        [...listeners].filter((l) => l.from === undefined || l.from <= event.blockNumber),
      );
    }
    next = head + 1n;
    for (const l of listeners) if (l.from !== undefined && l.from <= next) l.from = undefined;
    await options.cursor?.save(head);
  };

  return {
    on(handlers, o = {}) {
      const listener: Listener = { handlers, from: o.replayFrom };
      listeners.add(listener);
      return () => void listeners.delete(listener);
    },
    async start() {
      const saved = await options.cursor?.load();
      next = saved === undefined ? 0n : saved + 1n;
      loop = (async () => {
        while (!controller.signal.aborted) {
          try {
            await poll();
          } catch (error) {
            // The chain may be briefly unreachable: keep polling (the next poll re-reads from the same block).
            if (!isAicError(error)) options.onError?.(error);
          }
          await pause(options.intervalMs ?? 500, controller.signal);
        }
      })();
    },
    async stop() {
      controller.abort();
      // An RPC call in flight ends by its own timeout; the stop waits for it at most STOP_WAIT_MS.
      const grace = new AbortController();
      await Promise.race([loop, pause(STOP_WAIT_MS, grace.signal)]);
      grace.abort();
    },
  };
}
