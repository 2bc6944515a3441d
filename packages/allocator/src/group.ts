/**
 * Co-located groups for jobs that ask to be spread over machines (multi-server multi-GPU, `hardware.spread`) or
 * multi-node jobs: `size` distinct providers' machines that are cheap and close to each other (the white paper's
 * "peers with the shortest communication time cooperate first"), every one able to take the per-machine
 * requirement, and no pair further apart than the latency bound. Each near-best anchor gathers its nearest feasible
 * peers; the group with the lowest price plus the value of its worst intra-group RTT wins; `offers[0]` is its anchor
 * (the group's lead when the chain assigns one provider per job). A job that does not ask
 * for spreading keeps all its GPUs on one machine (`placeJob`).
 */
import { AicError } from '@aic/core';
import { memberFits, scanGroups, takeOn } from './candidates.ts';
import { computeHours, priceOf, rttMs } from './cost.ts';
import { whyUnsatisfiable } from './explain.ts';
import { compareIds, type Machine, type OfferBook } from './offer-book.ts';
import { placementOf } from './place.ts';
import type { Machine as HardwareMachine, HardwareRequirement, JobDemand, Offer, Placement } from './types.ts';

export interface GroupPlacement {
  readonly jobId: string;
  readonly offers: readonly Offer[];
  readonly price: number;
  readonly maxRttMs: number;
  /** One placement per machine, job ids `<jobId>#<i>` (release each with `releasePlacement`). */
  readonly placements: readonly Placement[];
}

/** AIC of value lost per ms of worst-case RTT inside the group, per hour of compute (synchronization stalls). */
const RTT_COST_PER_MS_HOUR = 0.01;

/**
 * Places `job` on `size` machines (default: `job.hardware.spread.machines`, else 1) within
 * `job.hardware.spread.maxRttMs` of each other; undefined when no such group exists.
 */
export function placeGroup(
  book: OfferBook,
  job: JobDemand,
  size?: number,
  anchors = 8,
  /** Which offers may anchor (and so lead) the group, e.g. the providers the chain lets the job be assigned to. */
  canAnchor?: (offer: Offer) => boolean,
): GroupPlacement | undefined {
  const machines = size ?? job.hardware?.spread?.machines ?? 1;
  const maxRtt = job.hardware?.spread?.maxRttMs ?? Number.POSITIVE_INFINITY;
  const scan = scanGroups(book, job, 0, Math.max(machines * 4, 32));
  const pool: Array<{ machine: Machine; cand: (typeof scan.candidates)[number] }> = [];
  for (const cand of scan.candidates) {
    let taken = 0;
    for (const machine of cand.group.members) {
      if (taken >= machines) break;
      if (!memberFits(scan, machine)) continue;
      pool.push({ machine, cand });
      taken++;
    }
  }
  if (pool.length < machines) return undefined;
  let best: { peers: typeof pool; price: number; maxRtt: number } | undefined;
  let bestScore = Number.POSITIVE_INFINITY;
  const anchorPool = canAnchor ? pool.filter((p) => canAnchor(p.machine.offer)) : pool;
  for (const anchor of anchorPool.slice(0, anchors)) {
    const at = anchor.machine.offer.coordinate;
    const byNearness = [...pool].sort(
      (a, b) =>
        (a === anchor ? -1 : 0) - (b === anchor ? -1 : 0) ||
        rttMs(at, a.machine.offer.coordinate) - rttMs(at, b.machine.offer.coordinate) ||
        compareIds(a.machine.offer.id, b.machine.offer.id),
    );
    const providers = new Set<string>();
    const peers: typeof pool = [];
    for (const p of byNearness) {
      const provider = p.machine.offer.provider.toLowerCase();
      if (providers.has(provider)) continue;
      providers.add(provider);
      peers.push(p);
      if (peers.length === machines) break;
    }
    if (peers.length < machines) continue;
    let worst = 0;
    for (const a of peers)
      for (const b of peers)
        if (a !== b) worst = Math.max(worst, rttMs(a.machine.offer.coordinate, b.machine.offer.coordinate));
    if (worst > maxRtt) continue;
    const price = peers.reduce((sum, p) => sum + priceOf(p.machine.offer, job), 0);
    const hours = peers.reduce((h, p) => Math.max(h, computeHours(p.machine.offer, job)), 0);
    const score = price + worst * RTT_COST_PER_MS_HOUR * hours;
    if (score < bestScore) {
      bestScore = score;
      best = { peers, price, maxRtt: worst };
    }
  }
  if (!best) return undefined;
  const placements = best.peers.map(({ machine, cand }, i) => {
    const part = { ...job, id: `${job.id}#${i}` };
    takeOn(book, machine, scan.shape, part.id);
    return placementOf(part, machine, cand, scan.shape);
  });
  return {
    jobId: job.id,
    offers: best.peers.map((p) => p.machine.offer),
    price: best.price,
    maxRttMs: best.maxRtt,
    placements,
  };
}

/**
 * Throws ALLOCATOR_REQUIREMENT_UNSATISFIABLE when a requirement spread over N > 1 machines (an MSMG group: one
 * provider per machine) finds fewer than N known machines that can each run it — checked before escrow, so a group
 * the market cannot form is refused at once instead of waiting for providers.
 */
export function assertGroupSatisfiable(machines: readonly HardwareMachine[], requirement: HardwareRequirement): void {
  const size = requirement.spread?.machines ?? 1;
  if (size <= 1 || machines.length === 0) return;
  const { spread: _spread, ...perMachine } = requirement;
  const fit = machines.filter((m) => whyUnsatisfiable([m], perMachine) === undefined).length;
  if (fit < size) {
    throw new AicError(
      'ALLOCATOR_REQUIREMENT_UNSATISFIABLE',
      `no group of ${size} providers can run this job: ${fit} of ${machines.length} offers can`,
      { details: { reason: 'group', size, fit, offers: machines.length } },
    );
  }
}
