/**
 * The slot-offer operations of the first allocator API, kept for callers that count jobs per offer: take one slot,
 * give one back, list the cheapest offers. New code places with `placeJob` and releases with `releasePlacement`.
 */
import { AicError } from '@aic/core';
import { memberFits, scanGroups, takeOn } from './candidates.ts';
import { applyShape, withinDeclared } from './machine-state.ts';
import { type Machine, type OfferBook, regroup } from './offer-book.ts';
import { shapeOf } from './requirement.ts';
import type { JobDemand, Offer } from './types.ts';

export interface Candidate {
  readonly offer: Offer;
  readonly cost: number;
}

const SLOT_ONLY = shapeOf(undefined);

/**
 * The feasible offers whose score is within `fraction` of the best, cheapest first, plus the next best until there
 * are `atLeast`; at most `atLeast` (≥ 1) offers of each group of identical machines are listed.
 */
export function cheapestCandidates(book: OfferBook, job: JobDemand, fraction: number, atLeast = 1): Candidate[] {
  const scan = scanGroups(book, job, fraction, atLeast);
  const out: Candidate[] = [];
  for (const cand of scan.candidates) {
    let listed = 0;
    for (const m of cand.group.members) {
      if (listed >= Math.max(1, atLeast)) break;
      if (!memberFits(scan, m)) continue;
      out.push({ offer: m.offer, cost: cand.cost });
      listed++;
    }
  }
  return out;
}

/** Takes one slot of an offer (nothing else). Throws ALLOCATOR_NO_CAPACITY when it has none left. */
export function takeSlot(book: OfferBook, offerId: string): void {
  takeOn(book, machineOf(book, offerId), SLOT_ONLY);
}

/** Gives a slot back when a job ends (the offer may become the cheapest again, so the class scan restarts). */
export function releaseSlot(book: OfferBook, offer: { id: string }): void {
  const machine = machineOf(book, offer.id);
  applyShape(machine.state, SLOT_ONLY, [], -1);
  if (!withinDeclared(machine.state, machine.declared)) {
    applyShape(machine.state, SLOT_ONLY, [], 1);
    throw new AicError('ALLOCATOR_RELEASE_INVALID', `offer ${offer.id} has all its slots already`);
  }
  regroup(book, machine);
  book.heads[machine.offer.hwClass] = 0;
}

/** Slots an offer has left (0 for an unknown id). */
export function slotsLeft(book: OfferBook, offerId: string): number {
  return book.byId.get(offerId)?.state.slots ?? 0;
}

function machineOf(book: OfferBook, offerId: string): Machine {
  const machine = book.byId.get(offerId);
  if (!machine) throw new AicError('ALLOCATOR_OFFER_NOT_FOUND', `no offer ${offerId}`, { details: { offerId } });
  return machine;
}
