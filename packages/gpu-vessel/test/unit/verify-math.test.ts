import { detectionProbability } from '@aic/verification';
import { describe, expect, it } from 'vitest';
import { findDivergentSegment, pickReferees, refereeVerdict } from '../../src/verify/dispute.ts';
import { exactDetectionProbability, samplesFor } from '../../src/verify/samples.ts';

const h = (n: number) => `0x${n.toString(16).padStart(64, '0')}` as `0x${string}`;
const chain = (n: number) => Array.from({ length: n + 1 }, (_, i) => ({ step: i * 5, hash: h(i) }));

describe('samples for a confidence level', () => {
  it('quotes 44 samples for 99 % against 10 % faked segments, fewer with verified history', () => {
    const fresh = samplesFor({ segments: 100, confidence: 0.99, cheatFraction: 0.1 });
    expect(fresh.samples).toBe(44);
    expect(fresh.pDetect).toBeCloseTo(1 - 0.9 ** 44, 12);
    const known = samplesFor({ segments: 100, confidence: 0.99, cheatFraction: 0.1, verifiedJobs: 200 });
    expect(known.samples).toBeLessThan(fresh.samples);
  });

  it('the exact without-replacement probability is never below the quoted one', () => {
    expect(exactDetectionProbability(10, 1, 1)).toBeCloseTo(0.1, 15);
    expect(exactDetectionProbability(10, 1, 10)).toBe(1);
    expect(exactDetectionProbability(10, 0, 5)).toBe(0);
    expect(exactDetectionProbability(5, 2, 2)).toBeCloseTo(1 - (3 / 5) * (2 / 4), 15); // 1 − C(3,2)/C(5,2)
    for (const [segments, samples] of [
      [100, 44],
      [100, 7],
      [60, 20],
    ] as const) {
      const faked = segments / 10;
      expect(exactDetectionProbability(segments, faked, samples)).toBeGreaterThanOrEqual(
        detectionProbability(0.1, samples),
      );
    }
    expect(() => exactDetectionProbability(5, 6, 1)).toThrow(/faked/);
  });
});

describe('dispute bisection', () => {
  it('finds a faked segment with O(log n) one-segment re-runs', async () => {
    const commitments = chain(64);
    const faked = new Set([12, 37]);
    let reruns = 0;
    const recompute = async (k: number) => {
      reruns++;
      return faked.has(k - 1) ? h(999) : h(k); // the re-run of a faked segment does not give its claim
    };
    // the verifier's sample hit segment 37: the dispute is about c_38
    const found = await findDivergentSegment({ commitments, recompute, hi: 38 });
    expect(faked.has(found.segment)).toBe(true);
    expect(reruns).toBeLessThanOrEqual(7);
    expect((await findDivergentSegment({ commitments, recompute, hi: 13 })).segment).toBe(12);
  });

  it('finds the first divergence when the referee runs continuously (divergence persists)', async () => {
    const commitments = chain(64);
    const found = await findDivergentSegment({ commitments, recompute: async (k) => (k > 9 ? h(1000 + k) : h(k)) });
    expect(found.segment).toBe(9);
  });

  it('treats an unreproducible (forged) checkpoint as a divergence and refuses an undisputed range', async () => {
    const commitments = chain(8);
    expect((await findDivergentSegment({ commitments, recompute: async (k) => (k >= 3 ? null : h(k)) })).segment).toBe(
      2,
    );
    await expect(findDivergentSegment({ commitments, recompute: async (k) => h(k) })).rejects.toMatchObject({
      code: 'VERIFY_BISECTION_INVALID',
    });
  });
});

describe('referee committee', () => {
  it('is drawn from the seed: distinct, reproducible', () => {
    const candidates = ['a', 'b', 'c', 'd', 'e', 'f', 'g'];
    const committee = pickReferees(5n, 'job-1:3', candidates, 3);
    expect(new Set(committee).size).toBe(3);
    expect(pickReferees(5n, 'job-1:3', candidates, 3)).toEqual(committee);
  });

  it('decides by majority of the whole committee; failed re-runs abstain in the provider’s favour', async () => {
    const vote = (votes: (boolean | null)[]) =>
      refereeVerdict({
        segment: 4,
        committee: votes.map((_, i) => i),
        reproduces: async (i) => {
          const v = votes[i];
          if (v === null) throw new Error('referee crashed');
          return v as boolean;
        },
      });
    expect((await vote([false, false, true])).providerCheated).toBe(true);
    expect((await vote([false, true, true])).providerCheated).toBe(false);
    const split = await vote([false, null, null]);
    expect(split.providerCheated).toBe(false);
    expect(split.votes.map((v) => v.reproduced)).toEqual([false, null, null]);
  });
});
