/**
 * A single-node "dev sealer" for tests and benches ONLY: it builds and imports a block on the head shortly after a
 * transaction arrives (and every `intervalMs` if set), with an empty seal and no seal check. The PoV chain's real
 * proposer is the validator service (src/node), which seals blocks by VRF ticket.
 */
import type { Hex } from 'viem';
import type { ChainExecutor } from './executor.ts';

export interface DevSealerInit {
  coinbase: Hex;
  /** Wait this long after a transaction so a burst lands in one block. */
  batchMs?: number;
  /** Also seal empty blocks at this interval (0: only on transactions). */
  intervalMs?: number;
}

export interface DevSealer {
  /** Seals one block now (resolves once it is the head). */
  sealNow(): Promise<void>;
  stop(): Promise<void>;
}

export function startDevSealer(executor: ChainExecutor, init: DevSealerInit): DevSealer {
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> = Promise.resolve();
  let stopped = false;
  const seal = async (): Promise<void> => {
    const timestampSec = BigInt(Math.floor(Date.now() / 1000));
    const block = await executor.buildBlock({ timestampSec, coinbase: init.coinbase });
    await executor.importBlock(block);
  };
  const sealNow = (): Promise<void> => {
    running = running.then(seal, seal);
    return running;
  };
  const schedule = (): void => {
    if (stopped || timer) return;
    timer = setTimeout(() => {
      timer = undefined;
      sealNow()
        .catch(() => {})
        .finally(() => {
          if (executor.pool.size > 0) schedule();
        });
    }, init.batchMs ?? 20);
  };
  const offPending = executor.admission.onPending(() => schedule());
  const interval = init.intervalMs ? setInterval(() => void sealNow().catch(() => {}), init.intervalMs) : undefined;
  return {
    sealNow,
    async stop() {
      stopped = true;
      offPending();
      if (timer) clearTimeout(timer);
      if (interval) clearInterval(interval);
      await running.catch(() => {});
    },
  };
}
