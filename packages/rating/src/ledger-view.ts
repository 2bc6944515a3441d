/**
 * The slowly changing state the rating of one epoch needs (who owns which resource, stakes, links), folded from all
 * events up to the epoch's end, plus the epoch's money graph for cycle detection.
 */
import { createLinkage, type Linkage, type MoneyEdge } from './linkage.ts';
import type { Address, RatingEvent, ResourceKind } from './types.ts';

export interface ResourceInfo {
  kind: ResourceKind;
  owner: Address;
}

export interface LedgerView {
  resources: Map<string, ResourceInfo>;
  stakes: Map<Address, bigint>;
  linkage: Linkage;
}

/** Folds ordered events (see orderedEvents) into the view used to rate `epoch`. */
export function buildLedgerView(events: readonly RatingEvent[], epoch: number, hubs: readonly Address[]): LedgerView {
  const resources = new Map<string, ResourceInfo>();
  const stakes = new Map<Address, bigint>();
  const links: MoneyEdge[] = [];
  const flows: MoneyEdge[] = [];
  for (const e of events) {
    if (e.type === 'ResourceRegistered' && !resources.has(e.resource)) {
      resources.set(e.resource, { kind: e.kind, owner: e.owner });
    } else if (e.type === 'StakeSet') {
      stakes.set(e.account, e.stakeWei);
    } else if (e.type === 'AddressesLinked') {
      links.push({ from: e.a, to: e.b });
    } else if (e.type === 'Funded') {
      links.push({ from: e.from, to: e.to });
      flows.push({ from: e.from, to: e.to });
    }
  }
  for (const e of events) {
    if (e.epoch !== epoch || (e.type !== 'UsagePaid' && e.type !== 'WorkVerified')) continue;
    const owner = resources.get(e.resource)?.owner;
    if (owner !== undefined) flows.push({ from: e.payer, to: owner });
  }
  return { resources, stakes, linkage: createLinkage({ links, flows, hubs }) };
}
