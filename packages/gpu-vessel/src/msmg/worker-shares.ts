/**
 * Each MSMG worker's share of a job's pay, pure: a rank's work in an attempt is the microbatch gradients it computed
 * for the steps kept in the final chain (steps past the checkpoint the group resumed from were trained again by the
 * next attempt, so they earn nothing twice). Shares are proportional, in wei, the rounding remainder going to the
 * accounts with the largest fractional parts (ties by address), so the shares sum exactly to the amount.
 */
import { microbatchesOfRank } from '@aic/model-vessel';
import type { Address } from 'viem';
import type { WorkRecord } from './group-supervisor.ts';

export interface WorkerShare {
  readonly account: Address;
  /** Microbatch gradients computed in steps of the final chain. */
  readonly units: bigint;
  readonly wei: bigint;
}

export function workerShares(
  work: readonly WorkRecord[],
  group: { readonly microbatches: number; readonly workers: number },
  amountWei: bigint,
): WorkerShare[] {
  const units = new Map<Address, bigint>();
  for (const w of work) {
    const r = microbatchesOfRank(group.microbatches, group.workers, w.rank);
    const account = w.account.toLowerCase() as Address;
    units.set(account, (units.get(account) ?? 0n) + BigInt((r.end - r.start) * (w.toStep - w.fromStep)));
  }
  const total = [...units.values()].reduce((a, b) => a + b, 0n);
  if (total === 0n) return [];
  const rows = [...units.entries()]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([account, u]) => ({ account, units: u, wei: (amountWei * u) / total, rest: (amountWei * u) % total }));
  let left = amountWei - rows.reduce((a, r) => a + r.wei, 0n);
  for (const row of [...rows].sort((a, b) => (b.rest > a.rest ? 1 : b.rest < a.rest ? -1 : 0))) {
    if (left === 0n) break;
    row.wei += 1n;
    left -= 1n;
  }
  return rows.map(({ account, units: u, wei }) => ({ account, units: u, wei }));
}
