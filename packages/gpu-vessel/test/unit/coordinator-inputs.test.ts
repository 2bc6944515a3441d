/** The coordinator's real allocator inputs: dataset size, track-record reputation, proven throughput, cache hits. */
import type { OfferEventDetail } from '@aic/network';
import { describe, expect, it } from 'vitest';
import { datasetBytesOf } from '../../src/agent/coordinator-locality.ts';
import { knownOfferOf, offerForJob, provenTflops } from '../../src/agent/coordinator-offers.ts';
import { TrackRecord } from '../../src/agent/coordinator-track-record.ts';

const root = `0x${'cd'.repeat(32)}` as const;

describe('coordinator inputs', () => {
  it('sizes a dataset by its shards, else by rows × row bytes', () => {
    const tensors = { features: { dtype: 'F32', shape: [28, 28] }, labels: { dtype: 'I32', shape: [] } };
    const shards = [{ byteLength: 1_000 }, { byteLength: 234 }];
    expect(datasetBytesOf({ datasetRoot: root, rows: 10, ...tensors, shards })).toBe(1_234);
    expect(datasetBytesOf({ datasetRoot: root, rows: 10, ...tensors })).toBe(10 * (28 * 28 * 4 + 4));
  });

  it('reputation grows with settled jobs and falls with slashes and preemptions', () => {
    const record = new TrackRecord();
    const p = '0x00000000000000000000000000000000000000Aa';
    expect(record.reputationOf(p)).toBe(0);
    for (let j = 1n; j <= 3n; j++) {
      record.assigned(j, p);
      record.settled(j, 5n);
    }
    expect(record.reputationOf(p.toLowerCase())).toBe(3 / 4);
    record.assigned(4n, p);
    record.settled(4n, 0n); // a refund pays the provider nothing: not a success
    record.failed(p);
    expect(record.reputationOf(p)).toBe(3 / 5);
  });

  it('costs an offer at its proven class, its own coordinate, and a cache hit by root or by NFT id', () => {
    expect(provenTflops(0)).toBeGreaterThan(0);
    expect(provenTflops(3)).toBeGreaterThan(provenTflops(1));
    expect(provenTflops(99)).toBe(provenTflops(0));
    const detail = {
      sender: '0x00000000000000000000000000000000000000Bb',
      relayedBy: 'peer',
      expiresAtMs: 1,
      payload: {
        offerId: 'o',
        capacity: { gpus: 0, concurrentJobs: 2 },
        hardware: { gpus: [], cpuCores: 2, memoryBytes: 2 ** 32, backends: ['cpu'] },
        priceWeiPerHour: 2n * 10n ** 18n,
        cachedDatasetIds: ['42'],
        cachedDatasetRoots: [root],
        ttlSeconds: 60,
        coordinate: { vec: [3, 4, 0], height: 2, error: 0.1 },
      },
    } as unknown as OfferEventDetail;
    const known = knownOfferOf(detail, { hwClass: 1, stake: 10n ** 21n }, 'peer', { vec: [0, 0, 0], height: 0 });
    expect(known.offer).toMatchObject({ tflops: provenTflops(1), pricePerHour: 2, stake: 1_000, slots: 2 });
    expect(known.offer.coordinate).toEqual({ vec: [3, 4, 0], height: 2 });
    const locality = { datasetId: '7', datasetRoot: root, datasetMB: 5, dataSources: [] };
    expect(offerForJob(known, 0.5, locality)).toMatchObject({ reputation: 0.5, cachedDatasets: [root] });
    const byId = { ...locality, datasetId: '42', datasetRoot: `0x${'00'.repeat(32)}` };
    expect(offerForJob(known, 0, byId).cachedDatasets).toEqual([byId.datasetRoot]);
    expect(offerForJob(known, 0, { ...byId, datasetId: '1' }).cachedDatasets).toEqual([]);
    expect(offerForJob(known, 0, undefined).cachedDatasets).toEqual([]);
  });
});
