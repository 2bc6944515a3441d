/**
 * Locality (issue 12): with equal prices the job goes to the provider whose cache holds its dataset, whatever the
 * seed; a big dataset far from a provider costs transfer time; without a dataset size the choice is locality-blind.
 */
import { describe, expect, it } from 'vitest';
import { choosePlacement, createOfferBook, holdsDataset, type JobDemand, type Offer } from '../../src/index.ts';

const model = { valueOfTimePerHour: 5, reputationPenalty: 0.2, nearBestFraction: 0.01 };

function offer(id: string, over: Partial<Offer> = {}): Offer {
  return {
    id,
    provider: `0x${id.padStart(40, '0')}`,
    hwClass: 0,
    memoryGiB: 8,
    tflops: 0.0002,
    pricePerHour: 1,
    stake: 100,
    reputation: 0,
    coordinate: { vec: [10, 0, 0], height: 1 },
    bandwidthMBps: 100,
    cachedDatasets: [],
    slots: 1,
    ...over,
  };
}

const root = `0x${'ab'.repeat(32)}`;
const job: JobDemand = {
  id: 'job-7',
  minHwClass: 0,
  minMemoryGiB: 0,
  workTflop: 1,
  maxPricePerHour: Number.MAX_SAFE_INTEGER,
  minStake: 0,
  datasetId: root,
  datasetMB: 0.5, // half a megabyte: its transfer time is far inside the near-best margin
  dataSources: [{ vec: [0, 0, 0], height: 1 }],
};

describe('locality', () => {
  it('with equal prices places the job on the provider that has the dataset cached, for every seed', () => {
    const offers = ['1', '2', '3', '4', '5'].map((id) => offer(id, id === '4' ? { cachedDatasets: [root] } : {}));
    const book = createOfferBook(offers, model);
    for (let seed = 0n; seed < 64n; seed++) {
      expect(choosePlacement(book, job, seed)?.offerId).toBe('4');
    }
  });

  it('a cached copy loses to a clearly cheaper offer (the margin is price, not a veto)', () => {
    const book = createOfferBook([offer('1', { cachedDatasets: [root] }), offer('2', { pricePerHour: 0.5 })], model);
    expect(choosePlacement(book, job, 1n)?.offerId).toBe('2');
  });

  it('a large dataset is worth a pricier but cached or nearer provider', () => {
    const big = { ...job, datasetMB: 50_000 }; // 500 s at 100 MB/s
    const cached = createOfferBook([offer('1', { pricePerHour: 1.02, cachedDatasets: [root] }), offer('2')], model);
    expect(choosePlacement(cached, big, 3n)?.offerId).toBe('1');
    const near = offer('1', { coordinate: { vec: [1, 0, 0], height: 0 } });
    const far = offer('2', { coordinate: { vec: [5_000, 0, 0], height: 50 } });
    expect(choosePlacement(createOfferBook([near, far], model), big, 3n)?.offerId).toBe('1');
  });

  it('without a dataset size the draw is locality-blind (both offers get jobs)', () => {
    const offers = [offer('1', { cachedDatasets: [root] }), offer('2')];
    const book = createOfferBook(offers, model);
    const blind = { ...job, datasetMB: 0 };
    const chosen = new Set<string>();
    for (let seed = 0n; seed < 64n; seed++) chosen.add(choosePlacement(book, blind, seed)?.offerId ?? '');
    expect(chosen).toEqual(new Set(['1', '2']));
    expect(holdsDataset(offers[0]!, blind)).toBe(false);
    expect(holdsDataset(offers[0]!, job)).toBe(true);
  });
});
