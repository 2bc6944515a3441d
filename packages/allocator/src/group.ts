/**
 * Co-located groups for multi-node jobs: `size` offers that are cheap and close to each other (the white paper's
 * "peers with the shortest communication time cooperate first"). Each near-best anchor gathers its nearest feasible
 * peers; the group with the lowest price plus the value of its worst intra-group RTT wins.
 */
import { priceOf, rttMs } from './cost.ts';
import { cheapestCandidates, compareIds, type OfferBook, takeSlot } from './offer-book.ts';
import type { JobDemand, Offer } from './types.ts';

export interface GroupPlacement {
  readonly jobId: string;
  readonly offers: readonly Offer[];
  readonly price: number;
  readonly maxRttMs: number;
}

/** AIC of value lost per ms of worst-case RTT inside the group, per hour of compute (synchronization stalls). */
const RTT_COST_PER_MS_HOUR = 0.01;

export function placeGroup(book: OfferBook, job: JobDemand, size: number, anchors = 8): GroupPlacement | undefined {
  const pool = cheapestCandidates(book, job, 0, Math.max(size * 4, 32)).map((c) => c.offer);
  if (pool.length < size) return undefined;
  let best: GroupPlacement | undefined;
  let bestScore = Number.POSITIVE_INFINITY;
  for (const anchor of pool.slice(0, anchors)) {
    const peers = pool
      .filter((o) => o.provider !== anchor.provider || o.id === anchor.id)
      .sort(
        (a, b) =>
          rttMs(anchor.coordinate, a.coordinate) - rttMs(anchor.coordinate, b.coordinate) || compareIds(a.id, b.id),
      )
      .slice(0, size);
    if (peers.length < size) continue;
    const price = peers.reduce((sum, o) => sum + priceOf(o, job), 0);
    let maxRtt = 0;
    for (const a of peers)
      for (const b of peers) if (a !== b) maxRtt = Math.max(maxRtt, rttMs(a.coordinate, b.coordinate));
    const hours = peers.reduce((h, o) => Math.max(h, priceOf(o, job) / Math.max(o.pricePerHour, 1e-12)), 0);
    const score = price + maxRtt * RTT_COST_PER_MS_HOUR * hours;
    if (score < bestScore) {
      bestScore = score;
      best = { jobId: job.id, offers: peers, price, maxRttMs: maxRtt };
    }
  }
  if (best) for (const o of best.offers) takeSlot(book, o.id);
  return best;
}
