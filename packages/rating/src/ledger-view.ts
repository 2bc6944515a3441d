/**
 * The slowly changing state the rating of one epoch needs (who owns which resource, stakes, links), folded from all
 * events up to the epoch's end, plus the epoch's money graph for cycle detection.
 */
import { createLinkage, type Linkage, type MoneyEdge } from './linkage.ts';
import type { Address, OwnershipTransferred, RatingEvent, ResourceKind } from './types.ts';

/** The zero address: a burnt resource has no owner, so nobody is credited for it. */
export const NO_OWNER: Address = '0x0000000000000000000000000000000000000000';

export interface ResourceInfo {
  kind: ResourceKind;
  /** The owner at the end of the epoch. */
  owner: Address;
}

/** The epoch's events about a resource (not its registration or transfers). */
export type ResourceEvent = Exclude<Extract<RatingEvent, { resource: string }>, { type: 'ResourceRegistered' }>;
type EpochResourceEvent = Exclude<ResourceEvent, OwnershipTransferred>;

/** One event of the epoch with the resource's owner when it happened: the contributor it counts for. */
export interface OwnedEvent {
  event: EpochResourceEvent;
  owner: Address;
}

export interface LedgerView {
  resources: Map<string, ResourceInfo>;
  /** The epoch's events about registered resources, in chain order, each with the owner at that event. */
  epochEvents: OwnedEvent[];
  stakes: Map<Address, bigint>;
  linkage: Linkage;
}

/** Folds ordered events (see orderedEvents) into the view used to rate `epoch`. */
export function buildLedgerView(events: readonly RatingEvent[], epoch: number, hubs: readonly Address[]): LedgerView {
  const resources = new Map<string, ResourceInfo>();
  const epochEvents: OwnedEvent[] = [];
  const stakes = new Map<Address, bigint>();
  const links: MoneyEdge[] = [];
  const flows: MoneyEdge[] = [];
  for (const e of events) {
    if (e.type === 'ResourceRegistered') {
      if (!resources.has(e.resource)) resources.set(e.resource, { kind: e.kind, owner: e.owner });
    } else if (e.type === 'OwnershipTransferred') {
      const info = resources.get(e.resource);
      if (info) info.owner = e.owner;
    } else if (e.type === 'StakeSet') {
      stakes.set(e.account, e.stakeWei);
    } else if (e.type === 'AddressesLinked') {
      links.push({ from: e.a, to: e.b });
    } else if (e.type === 'Funded') {
      links.push({ from: e.from, to: e.to });
      flows.push({ from: e.from, to: e.to });
    } else if (e.epoch === epoch) {
      const owner = resources.get(e.resource)?.owner;
      if (owner !== undefined && owner !== NO_OWNER) epochEvents.push({ event: e, owner });
    }
  }
  // A payment's money went to the owner of that moment (fees follow the NFT), so that is the edge of the money graph.
  for (const { event, owner } of epochEvents) {
    if (event.type === 'UsagePaid' || event.type === 'WorkVerified') flows.push({ from: event.payer, to: owner });
  }
  return { resources, epochEvents, stakes, linkage: createLinkage({ links, flows, hubs }) };
}
