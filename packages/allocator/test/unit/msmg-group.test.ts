/** MSMG group placement as the coordinator uses it (issue 16): the group's anchor (its lead, assigned on chain) is
 * taken only from the offers the caller allows (the job's seeded shortlist), and a requirement spread over N machines
 * that fewer than N known machines can run is refused before escrow. */
import { describe, expect, it } from 'vitest';
import { assertGroupSatisfiable, createOfferBook, type JobDemand, type Offer, placeGroup } from '../../src/index.ts';

const at = (x: number) => ({ vec: [x, 0, 0], height: 1 });
const offer = (id: string, over: Partial<Offer> = {}): Offer => ({
  id,
  provider: `p-${id}`,
  hwClass: 2,
  memoryGiB: 24,
  tflops: 40,
  pricePerHour: 1,
  stake: 5_000,
  reputation: 1,
  coordinate: at(0),
  bandwidthMBps: 100,
  cachedDatasets: [],
  slots: 1,
  ...over,
});
const job: JobDemand = {
  id: 'job-1',
  minHwClass: 1,
  minMemoryGiB: 16,
  workTflop: 40,
  maxPricePerHour: 5,
  minStake: 1_000,
  datasetMB: 0,
  dataSources: [],
};

describe('MSMG group placement', () => {
  it('anchors the group on an allowed offer (the lead, offers[0]) and fills it with the nearest other providers', () => {
    const offers = [
      offer('a', { pricePerHour: 0.5 }),
      offer('b', { coordinate: at(1) }),
      offer('c', { coordinate: at(2) }),
    ];
    const free = placeGroup(createOfferBook(offers), job, 2)!;
    expect(free.offers[0]!.id).toBe('a'); // cheapest anchors when any may
    const led = placeGroup(createOfferBook(offers), job, 2, 8, (o) => o.id === 'c')!;
    expect(led.offers.map((o) => o.id)).toEqual(['c', 'b']);
    expect(placeGroup(createOfferBook(offers), job, 2, 8, () => false)).toBeUndefined();
    expect(placeGroup(createOfferBook(offers), job, 4)).toBeUndefined(); // three providers, no group of four
  });

  it('refuses a spread no set of known machines can form, and passes one they can', () => {
    const machine = { gpus: [], cpuCores: 4, memoryGiB: 16, backends: ['cpu'] };
    const two = { spread: { machines: 2, maxRttMs: 1_000 } };
    expect(() => assertGroupSatisfiable([machine, machine], two)).not.toThrow();
    expect(() => assertGroupSatisfiable([machine], two)).toThrow(/no group of 2 providers can run this job: 1 of 1/);
    // per machine, the rest of the requirement still applies
    expect(() => assertGroupSatisfiable([machine, machine], { ...two, memoryGiB: 32 })).toThrow(/0 of 2/);
    expect(() => assertGroupSatisfiable([], two)).not.toThrow(); // nothing heard yet: not judged
  });
});
