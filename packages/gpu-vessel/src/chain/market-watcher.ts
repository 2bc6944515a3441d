/**
 * Follows ComputeMarket's events by polling `eth_getLogs` over new blocks (HTTP JSON-RPC has no subscriptions) and
 * hands each decoded event, in chain order, to the listeners. Agents re-read the job's state before acting, so an
 * event seen twice (a restart re-reads from `fromBlock`) does no harm.
 */
import { isAicError } from '@aic/core';
import { computeMarketAbi, type LedgerClient } from '@aic/ledger';
import type { ContractEventName, DecodeEventLogReturnType } from 'viem';

type MarketEventName = ContractEventName<typeof computeMarketAbi>;
export type MarketEvent = DecodeEventLogReturnType<typeof computeMarketAbi, MarketEventName> & {
  blockNumber: bigint;
};

export interface MarketWatcher {
  on(listener: (event: MarketEvent) => void | Promise<void>): void;
  stop(): void;
}

/** Starts polling every `intervalMs` from `fromBlock` (default: genesis, so a restarted agent sees its open jobs). */
export function watchMarket(
  ledger: LedgerClient,
  options: { intervalMs?: number; fromBlock?: bigint; onError?: (error: unknown) => void } = {},
): MarketWatcher {
  const listeners: ((event: MarketEvent) => void | Promise<void>)[] = [];
  let next = options.fromBlock ?? 0n;
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  const poll = async () => {
    try {
      const head = await ledger.publicClient.getBlockNumber({ cacheTime: 0 });
      if (head >= next) {
        const logs = await ledger.publicClient.getContractEvents({
          address: ledger.market.address,
          abi: computeMarketAbi,
          fromBlock: next,
          toBlock: head,
        });
        next = head + 1n;
        for (const log of logs) {
          const event = { eventName: log.eventName, args: log.args, blockNumber: log.blockNumber } as MarketEvent;
          for (const listener of listeners) {
            try {
              await listener(event);
            } catch (error) {
              options.onError?.(error);
            }
          }
        }
      }
    } catch (error) {
      // The chain may be briefly unreachable; keep polling.
      if (!isAicError(error)) options.onError?.(error);
    }
    if (!stopped) timer = setTimeout(poll, options.intervalMs ?? 500);
  };
  timer = setTimeout(poll, 0);
  return {
    on: (listener) => void listeners.push(listener),
    stop() {
      stopped = true;
      clearTimeout(timer);
    },
  };
}
