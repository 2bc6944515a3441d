/**
 * Keeps the devnet chain's time near the wall clock. The EVM gives every block a timestamp of at least the previous
 * one + 1 s, so more than one block a second (a block per transaction, plus the interval block) runs the chain
 * ahead; and time travel (evm_increaseTime, evm_setNextBlockTimestamp) shifts every later block for good in EDR, so
 * the devnet never uses it: its windows are short instead. While the chain is `highWaterSec` ahead, the clock turns
 * automine off and mines one block every `catchUpIntervalMs` (> 1 s, so the wall clock gains on the chain;
 * transactions wait for that block, batched), and back to automine once the lead is under `lowWaterSec`.
 */

import { AicError, sleep } from '@aic/core';

export interface ChainClockPolicy {
  /** Enter catch-up at this lead (chain time − wall time), leave it at or below `lowWaterSec`. */
  highWaterSec: number;
  lowWaterSec: number;
}

export const DEFAULT_CLOCK_POLICY: ChainClockPolicy = { highWaterSec: 10, lowWaterSec: 2 };

export type MiningMode = 'normal' | 'catch-up';

/** The mining mode for the chain's current lead over the wall clock (hysteresis between the two water marks). */
export function nextMiningMode(mode: MiningMode, leadSec: number, policy = DEFAULT_CLOCK_POLICY): MiningMode {
  if (mode === 'normal') return leadSec >= policy.highWaterSec ? 'catch-up' : 'normal';
  return leadSec <= policy.lowWaterSec ? 'normal' : 'catch-up';
}

/** What the clock needs of the chain: its in-process EIP-1193 provider (automine and interval mining are private). */
export interface ClockProvider {
  request(args: { method: string; params?: unknown[] }): Promise<unknown>;
}

export interface ChainClockOptions {
  provider: ClockProvider;
  /** The devnet's interval between blocks in normal mode (≥ 1000 ms keeps it from running ahead on its own). */
  intervalMs: number;
  catchUpIntervalMs?: number;
  /** How often the lead is checked. */
  checkEveryMs?: number;
  policy?: ChainClockPolicy;
  /** Wall clock in ms (injected by tests). */
  now?: () => number;
  onModeChange?: (mode: MiningMode, leadSec: number) => void;
}

export interface ChainClock {
  /** Checks the lead now and switches the mining mode if needed (also what the timer runs). */
  check(): Promise<{ leadSec: number; mode: MiningMode }>;
  /** The lead seen at the last check and the largest seen so far. */
  state(): { mode: MiningMode; leadSec: number; maxLeadSec: number; catchUps: number };
  start(): void;
  stop(): void;
}

export function createChainClock(o: ChainClockOptions): ChainClock {
  const now = o.now ?? Date.now;
  const policy = o.policy ?? DEFAULT_CLOCK_POLICY;
  let mode: MiningMode = 'normal';
  let leadSec = 0;
  let maxLeadSec = Number.NEGATIVE_INFINITY;
  let catchUps = 0;
  let timer: NodeJS.Timeout | undefined;
  let checking: Promise<{ leadSec: number; mode: MiningMode }> | undefined;

  const setMode = async (next: MiningMode) => {
    if (next === 'catch-up') {
      await o.provider.request({ method: 'evm_setAutomine', params: [false] });
      await o.provider.request({ method: 'evm_setIntervalMining', params: [o.catchUpIntervalMs ?? 2_000] });
      catchUps++;
    } else {
      await o.provider.request({ method: 'evm_setIntervalMining', params: [o.intervalMs] });
      await o.provider.request({ method: 'evm_setAutomine', params: [true] });
    }
    mode = next;
    o.onModeChange?.(next, leadSec);
  };

  const checkOnce = async () => {
    const block = (await o.provider.request({ method: 'eth_getBlockByNumber', params: ['latest', false] })) as {
      timestamp: string;
    };
    leadSec = Number(BigInt(block.timestamp)) - now() / 1000;
    maxLeadSec = Math.max(maxLeadSec, leadSec);
    const next = nextMiningMode(mode, leadSec, policy);
    if (next !== mode) await setMode(next);
    return { leadSec, mode };
  };

  return {
    check() {
      // One check at a time: a slow chain must not get two mode switches interleaved.
      checking ??= checkOnce().finally(() => {
        checking = undefined;
      });
      return checking;
    },
    state: () => ({ mode, leadSec, maxLeadSec, catchUps }),
    start() {
      if (timer) return;
      timer = setInterval(() => void this.check().catch(() => undefined), o.checkEveryMs ?? 500);
      timer.unref();
    },
    stop() {
      clearInterval(timer);
      timer = undefined;
    },
  };
}

/**
 * Waits (polling, bounded) until the chain's latest block is at or past `targetSec`, e.g. the end of a challenge
 * window: on the devnet, blocks keep coming every interval, so chain time follows the wall clock.
 */
export async function waitForChainTime(
  provider: ClockProvider,
  targetSec: bigint,
  options: { signal?: AbortSignal; timeoutMs?: number; pollMs?: number } = {},
): Promise<void> {
  const until = Date.now() + (options.timeoutMs ?? 120_000);
  for (;;) {
    const block = (await provider.request({ method: 'eth_getBlockByNumber', params: ['latest', false] })) as {
      timestamp: string;
    };
    if (BigInt(block.timestamp) >= targetSec) return;
    if (options.signal?.aborted) throw options.signal.reason;
    if (Date.now() > until) {
      throw new AicError('DEVNET_CHAIN_TIME_TIMEOUT', `chain time did not reach ${targetSec} in time`, {
        details: { targetSec, latestSec: BigInt(block.timestamp) },
      });
    }
    await sleep(options.pollMs ?? 250, options.signal);
  }
}
