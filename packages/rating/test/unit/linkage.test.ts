import { describe, expect, it } from 'vitest';
import { createLinkage, stronglyConnectedComponents } from '../../src/index.ts';

describe('linked addresses and circular flows', () => {
  it('puts every address on a money cycle in one component, and a one-way chain in separate ones', () => {
    const scc = stronglyConnectedComponents([
      { from: 'a', to: 'b' },
      { from: 'b', to: 'c' },
      { from: 'c', to: 'a' },
      { from: 'c', to: 'd' },
    ]);
    expect(scc.get('a')).toBe(scc.get('b'));
    expect(scc.get('b')).toBe(scc.get('c'));
    expect(scc.get('d')).not.toBe(scc.get('a'));
  });

  it('relates self-payment, direct funding either way, explicit links and multi-hop cycles', () => {
    const linkage = createLinkage({
      links: [
        { from: 'owner', to: 'sybil' },
        { from: 'x', to: 'y' },
      ],
      flows: [
        { from: 'owner', to: 'mule1' },
        { from: 'mule1', to: 'mule2' },
        { from: 'mule2', to: 'owner' },
      ],
      hubs: [],
    });
    expect(linkage.isRelated('owner', 'owner')).toBe(true);
    expect(linkage.isRelated('sybil', 'owner')).toBe(true);
    expect(linkage.isRelated('owner', 'sybil')).toBe(true);
    expect(linkage.isRelated('y', 'x')).toBe(true);
    expect(linkage.isRelated('mule2', 'owner')).toBe(true);
    expect(linkage.isRelated('stranger', 'owner')).toBe(false);
  });

  it('does not link everyone who cashes out at the same exchange hub', () => {
    const flows = [
      { from: 'exchange', to: 'consumer' },
      { from: 'consumer', to: 'owner' },
      { from: 'owner', to: 'exchange' },
    ];
    const links = [flows[0]!, flows[2]!]; // funding only; the payment itself is not a link
    expect(createLinkage({ links, flows, hubs: [] }).isRelated('consumer', 'owner')).toBe(true);
    expect(createLinkage({ links, flows, hubs: ['exchange'] }).isRelated('consumer', 'owner')).toBe(false);
  });

  it('handles a 10,000-hop Sybil chain without overflowing the stack', () => {
    const flows = Array.from({ length: 10_000 }, (_, i) => ({ from: `n${i}`, to: `n${(i + 1) % 10_000}` }));
    const scc = stronglyConnectedComponents(flows);
    expect(new Set(scc.values()).size).toBe(1);
  });
});
