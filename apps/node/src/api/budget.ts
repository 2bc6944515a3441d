import { AicError, weiToAic } from '@aic/core';
import type { Logger } from 'pino';
import { z } from 'zod';
import type { NodeMetrics } from '../metrics.ts';
import { loadPersistedValue, type PersistedValue } from '../state/persisted-value.ts';

/** The owner's caps on what the API may spend from the node's account; undefined = no cap. */
export interface BudgetCaps {
  /** Largest escrow (budget + fees + asset prices + verifier fee) one request may make. */
  perJobWei?: bigint | undefined;
  /** Largest total escrowed through the API per UTC day. */
  perDayWei?: bigint | undefined;
}

/** An amount held against today's cap while a spending request runs. */
export interface Reservation {
  /** The request spent `amountWei` (may differ from the reserved amount): today's total is corrected. */
  settle(amountWei: bigint): Promise<void>;
  /** The request spent nothing: the reservation is given back. */
  release(): Promise<void>;
}

export interface SpendingGuard {
  /** Reserves `amountWei` or throws 422 API_BUDGET_CAP_EXCEEDED (nothing reserved). Serialized across requests. */
  reserve(amountWei: bigint, what: string): Promise<Reservation>;
  /** What the API has spent today (UTC). */
  spentTodayWei(): bigint;
  flush(): Promise<void>;
}

const spendingFileSchema = z.object({
  day: z.string().regex(/^\d{4}-\d{2}-\d{2}$/),
  spentWei: z.string().regex(/^(0|[1-9][0-9]{0,77})$/),
});
type SpendingFile = z.infer<typeof spendingFileSchema>;

const utcDay = (ms: number) => new Date(ms).toISOString().slice(0, 10);

/**
 * Tracks what the API spends per UTC day in `path` (`<data-dir>/node/spending.json`, written atomically) and refuses
 * a request over either cap before anything is escrowed.
 */
export async function loadSpendingGuard(
  init: { path: string; caps: BudgetCaps },
  components: { logger: Logger; metrics: NodeMetrics; now: () => number },
): Promise<SpendingGuard> {
  const { caps, path } = init;
  const { now } = components;
  const file: PersistedValue<SpendingFile> = await loadPersistedValue(
    { path, schema: spendingFileSchema, initial: { day: utcDay(now()), spentWei: '0' } },
    components,
  );
  const spentToday = (day: string) => (file.get().day === day ? BigInt(file.get().spentWei) : 0n);
  let queue: Promise<unknown> = Promise.resolve();
  const serialized = <T>(task: () => Promise<T>): Promise<T> => {
    const run = queue.then(task, task);
    queue = run.catch(() => undefined);
    return run;
  };
  const add = (day: string, deltaWei: bigint) =>
    serialized(async () => {
      if (file.get().day !== day) return; // a new day started: yesterday's amounts no longer count
      const spent = spentToday(day) + deltaWei;
      await file.set({ day, spentWei: String(spent < 0n ? 0n : spent) });
    });

  return {
    reserve: (amountWei, what) =>
      serialized(async () => {
        const day = utcDay(now());
        const spent = spentToday(day);
        if (caps.perJobWei !== undefined && amountWei > caps.perJobWei) {
          throw capExceeded(what, 'per job', amountWei, caps.perJobWei, spent, day);
        }
        if (caps.perDayWei !== undefined && spent + amountWei > caps.perDayWei) {
          throw capExceeded(what, 'per day', amountWei, caps.perDayWei, spent, day);
        }
        await file.set({ day, spentWei: String(spent + amountWei) });
        let open = true;
        return {
          settle: async (actualWei) => {
            if (!open) return;
            open = false;
            await add(day, actualWei - amountWei);
          },
          release: async () => {
            if (!open) return;
            open = false;
            await add(day, -amountWei);
          },
        };
      }),
    spentTodayWei: () => spentToday(utcDay(now())),
    flush: () => file.flush(),
  };
}

function capExceeded(what: string, cap: string, requestedWei: bigint, capWei: bigint, spentWei: bigint, day: string) {
  const message =
    cap === 'per job'
      ? `${what} would escrow ${weiToAic(requestedWei)} AIC, over the cap of ${weiToAic(capWei)} AIC per job`
      : `${what} would escrow ${weiToAic(requestedWei)} AIC; with ${weiToAic(spentWei)} AIC already spent today (${day} UTC) that is over the cap of ${weiToAic(capWei)} AIC per day`;
  return new AicError('API_BUDGET_CAP_EXCEEDED', message, {
    details: { cap, requestedWei: String(requestedWei), capWei: String(capWei), spentTodayWei: String(spentWei), day },
  });
}
