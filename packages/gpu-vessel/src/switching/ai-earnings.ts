/**
 * A provider's AI earnings as the chain records them, for the switching agent's per-mode report: the provider pay of
 * every job settled while it was this account's (JobSettled does not name the provider, so the last assignment is
 * kept per job), plus what preempted jobs paid for their verified checkpoints. A pure fold over market events and
 * the watcher subscription that feeds it (replayed from genesis, so a restarted node reports the same sums).
 */
import type { MarketEventOf, MarketWatcher } from '../chain/market-watcher.ts';

export interface AiEarningsBook {
  /** The provider each job is (or was last) assigned to, lower-case. */
  readonly assignee: Map<bigint, string>;
  jobsSettled: number;
  earnedWei: bigint;
}

type EarningEvent = MarketEventOf<'JobAssigned' | 'JobReassigned' | 'JobSettled' | 'JobPreempted'>;

export function emptyAiEarnings(): AiEarningsBook {
  return { assignee: new Map(), jobsSettled: 0, earnedWei: 0n };
}

/** Folds one event into `book` for provider `me` (lower-case address). */
export function foldAiEarnings(book: AiEarningsBook, event: EarningEvent, me: string): void {
  switch (event.eventName) {
    case 'JobAssigned':
    case 'JobReassigned':
      book.assignee.set(event.args.jobId, event.args.provider.toLowerCase());
      return;
    case 'JobPreempted':
      if (event.args.provider.toLowerCase() === me) book.earnedWei += BigInt(event.args.paid);
      return;
    case 'JobSettled':
      if (book.assignee.get(event.args.jobId) !== me) return;
      book.jobsSettled++;
      book.earnedWei += BigInt(event.args.providerPaid);
      return;
  }
}

/** Follows the chain for `account`'s AI earnings; returns the reader and the unsubscribe function. */
export function followAiEarnings(
  watcher: MarketWatcher,
  account: string,
): { read: () => { jobsSettled: number; earnedWei: bigint }; unsubscribe: () => void } {
  const book = emptyAiEarnings();
  const me = account.toLowerCase();
  const fold = (event: EarningEvent) => foldAiEarnings(book, event, me);
  const unsubscribe = watcher.on(
    { JobAssigned: fold, JobReassigned: fold, JobSettled: fold, JobPreempted: fold },
    { replayFrom: 0n },
  );
  return { read: () => ({ jobsSettled: book.jobsSettled, earnedWei: book.earnedWei }), unsubscribe };
}
