/**
 * The node's read-only index of the chain's AIC events: fetched once from block 0, then only the new blocks on each
 * refresh (one refresh at a time; concurrent callers share it). The Explorer and the earnings routes read from it, so
 * a page view costs one `eth_getLogs` over the blocks since the last one, not a scan of the whole chain.
 */
import type { ChainEvent } from './chain-events.ts';

export interface ChainEventSource {
  head(): Promise<bigint>;
  events(fromBlock: bigint, toBlock: bigint): Promise<ChainEvent[]>;
}

export interface ChainSnapshot {
  readonly events: readonly ChainEvent[];
  /** The last block indexed. */
  readonly head: number;
}

export interface ChainIndex {
  refresh(): Promise<ChainSnapshot>;
}

/** Blocks per `eth_getLogs` request (providers cap a request's range; the embedded chain does not). */
const RANGE_BLOCKS = 5_000n;

export function createChainIndex(source: ChainEventSource): ChainIndex {
  const events: ChainEvent[] = [];
  let next = 0n;
  let inFlight: Promise<ChainSnapshot> | undefined;
  const catchUp = async (): Promise<ChainSnapshot> => {
    const head = await source.head();
    while (next <= head) {
      const to = next + RANGE_BLOCKS - 1n < head ? next + RANGE_BLOCKS - 1n : head;
      events.push(...(await source.events(next, to)));
      next = to + 1n; // advanced only once a range is in: a failed request is retried from the same block
    }
    return { events, head: Number(next - 1n) };
  };
  return {
    refresh() {
      inFlight ??= catchUp().finally(() => {
        inFlight = undefined;
      });
      return inFlight;
    },
  };
}
