import type { RatingEvent } from './types.ts';

/** Events up to and including `epoch` in chain order (epoch, block, logIndex), with addresses in lower case. */
export function orderedEvents(events: readonly RatingEvent[], epoch: number): RatingEvent[] {
  return events
    .filter((e) => e.epoch <= epoch)
    .map(normalizeAddresses)
    .sort((a, b) => a.epoch - b.epoch || a.block - b.block || a.logIndex - b.logIndex);
}

function normalizeAddresses(e: RatingEvent): RatingEvent {
  switch (e.type) {
    case 'ResourceRegistered':
    case 'OwnershipTransferred':
      return { ...e, owner: e.owner.toLowerCase() };
    case 'UsagePaid':
    case 'WorkVerified':
      return { ...e, payer: e.payer.toLowerCase() };
    case 'Funded':
      return { ...e, from: e.from.toLowerCase(), to: e.to.toLowerCase() };
    case 'AddressesLinked':
      return { ...e, a: e.a.toLowerCase(), b: e.b.toLowerCase() };
    case 'StakeSet':
      return { ...e, account: e.account.toLowerCase() };
    case 'Rated':
      return { ...e, rater: e.rater.toLowerCase() };
    default:
      return e;
  }
}
