/**
 * Which payments count as paid usage by an *unrelated* payer. A payment is excluded when its payer is linked to the
 * resource owner (the same address, an explicit link, or one funded the other) or when payer and owner sit on one
 * cycle of the epoch's money graph (payments of the epoch plus all funding so far): money that comes back to where it
 * started is a circular flow, however many hops it takes. Hub addresses (exchanges, contracts) are left out of the
 * graph, or everyone who cashes out at the same exchange would be linked.
 */
import type { Address } from './types.ts';

export interface MoneyEdge {
  from: Address;
  to: Address;
}

export interface LinkageInput {
  /** Funding transfers and explicit links up to the end of the epoch (undirected for linking). */
  links: readonly MoneyEdge[];
  /** Funding transfers up to the end of the epoch plus the epoch's payments payer → owner (directed, for cycles). */
  flows: readonly MoneyEdge[];
  hubs: readonly Address[];
}

export interface Linkage {
  /** True when a payment from `payer` to `owner` must not count. */
  isRelated(payer: Address, owner: Address): boolean;
}

/** Builds the related-address test for one epoch. */
export function createLinkage(input: LinkageInput): Linkage {
  const hubs = new Set(input.hubs);
  const keep = (e: MoneyEdge) => !hubs.has(e.from) && !hubs.has(e.to) && e.from !== e.to;
  const direct = new Set<string>();
  for (const e of input.links.filter(keep)) {
    direct.add(pairKey(e.from, e.to));
    direct.add(pairKey(e.to, e.from));
  }
  const component = stronglyConnectedComponents(input.flows.filter(keep));
  return {
    isRelated(payer, owner) {
      if (payer === owner || direct.has(pairKey(payer, owner))) return true;
      const a = component.get(payer);
      return a !== undefined && a === component.get(owner);
    },
  };
}

function pairKey(a: Address, b: Address): string {
  return `${a}>${b}`;
}

/** Tarjan's algorithm (iterative, so a long Sybil chain cannot overflow the stack); node → component id. */
export function stronglyConnectedComponents(edges: readonly MoneyEdge[]): Map<Address, number> {
  const next = new Map<Address, Address[]>();
  for (const { from, to } of edges) {
    const list = next.get(from);
    if (list) list.push(to);
    else next.set(from, [to]);
    if (!next.has(to)) next.set(to, []);
  }
  const index = new Map<Address, number>();
  const low = new Map<Address, number>();
  const onStack = new Set<Address>();
  const stack: Address[] = [];
  const component = new Map<Address, number>();
  let counter = 0;
  let components = 0;
  for (const root of [...next.keys()].sort()) {
    if (index.has(root)) continue;
    const work: Array<{ node: Address; child: number }> = [{ node: root, child: 0 }];
    index.set(root, counter);
    low.set(root, counter++);
    stack.push(root);
    onStack.add(root);
    while (work.length > 0) {
      const frame = work[work.length - 1]!;
      const children = next.get(frame.node)!;
      if (frame.child < children.length) {
        const child = children[frame.child++]!;
        if (!index.has(child)) {
          index.set(child, counter);
          low.set(child, counter++);
          stack.push(child);
          onStack.add(child);
          work.push({ node: child, child: 0 });
        } else if (onStack.has(child)) {
          low.set(frame.node, Math.min(low.get(frame.node)!, index.get(child)!));
        }
        continue;
      }
      work.pop();
      const parent = work[work.length - 1];
      if (parent) low.set(parent.node, Math.min(low.get(parent.node)!, low.get(frame.node)!));
      if (low.get(frame.node) === index.get(frame.node)) {
        let member: Address;
        do {
          member = stack.pop()!;
          onStack.delete(member);
          component.set(member, components);
        } while (member !== frame.node);
        components++;
      }
    }
  }
  return component;
}
