import { describe, expect, it } from 'vitest';
import {
  detectionProbability,
  findFirstDivergence,
  quoteVerification,
  relativeL2Distance,
  requiredStake,
  sampleSegments,
  samplesForConfidence,
  withinTolerance,
} from '../../src/index.ts';

describe('sampling math', () => {
  it('needs 44 samples to catch a 10 % cheater with 99 % confidence, and fewer for a proven provider', () => {
    expect(samplesForConfidence(0.99, 0.1)).toBe(44); // 0.9^44 = 0.0097 ≤ 0.01 < 0.9^43
    expect(detectionProbability(0.1, 44)).toBeGreaterThanOrEqual(0.99);
    expect(detectionProbability(0.1, 43)).toBeLessThan(0.99);
    expect(samplesForConfidence(0.99, 0.1, 100)).toBeLessThan(44);
    expect(samplesForConfidence(0.99, 0.1, 100)).toBeGreaterThanOrEqual(1);
  });

  it('quotes samples, detection probability and overhead; a short job is checked whole', () => {
    const q = quoteVerification({ segments: 1_000, confidence: 0.99, cheatFraction: 0.1 });
    expect(q).toEqual({ samples: 44, pDetect: detectionProbability(0.1, 44), overhead: 0.044 });
    expect(quoteVerification({ segments: 20, confidence: 0.99, cheatFraction: 0.1 })).toEqual({
      samples: 20,
      pDetect: 1,
      overhead: 1,
    });
  });

  it('refuses impossible quotes with a typed error', () => {
    expect(() => samplesForConfidence(1, 0.1)).toThrowError(expect.objectContaining({ code: 'VERIFY_INVALID_QUOTE' }));
    expect(() => samplesForConfidence(0.99, 0)).toThrowError(expect.objectContaining({ code: 'VERIFY_INVALID_QUOTE' }));
    expect(() => quoteVerification({ segments: 0, confidence: 0.9, cheatFraction: 0.1 })).toThrowError(
      expect.objectContaining({ code: 'VERIFY_INVALID_QUOTE' }),
    );
  });

  it('sizes the stake so that cheating costs more than it gains', () => {
    expect(requiredStake(100, 0.99)).toBeCloseTo(101.0101, 3);
  });

  it('catches a 10 % cheater at the quoted rate over many seeded trials', () => {
    const segments = 500;
    const faked = new Set(sampleSegments(12345n, 'cheater', segments, 50)); // 10 % faked
    const samples = samplesForConfidence(0.99, 0.1);
    let caught = 0;
    const trials = 2_000;
    for (let t = 0; t < trials; t++) {
      if (sampleSegments(BigInt(t) * 1_000_003n + 7n, `job-${t}`, segments, samples).some((i) => faked.has(i)))
        caught++;
    }
    // Sampling without replacement detects at least as often as the with-replacement bound (0.9903).
    expect(caught / trials).toBeGreaterThanOrEqual(0.98);
  });
});

describe('segment selection', () => {
  it('draws distinct, sorted, reproducible indices that the seed changes', () => {
    const a = sampleSegments(99n, 'job', 1_000, 44);
    expect(new Set(a).size).toBe(44);
    expect([...a].sort((x, y) => x - y)).toEqual(a);
    expect(a.every((i) => i >= 0 && i < 1_000)).toBe(true);
    expect(sampleSegments(99n, 'job', 1_000, 44)).toEqual(a);
    expect(sampleSegments(100n, 'job', 1_000, 44)).not.toEqual(a);
    expect(sampleSegments(1n, 'all', 10, 10)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
  });
});

describe('dispute bisection', () => {
  it('finds the first divergent step in O(log n) re-computations', async () => {
    const n = 1_024;
    const forgedFrom = 613;
    const honest = (i: number) => `c${i}`;
    const claimed = (i: number) => (i >= forgedFrom ? `forged${i}` : `c${i}`);
    const result = await findFirstDivergence(0, n, claimed, honest);
    expect(result.firstDivergent).toBe(forgedFrom);
    expect(result.probes.length).toBeLessThanOrEqual(2 + Math.ceil(Math.log2(n)));
  });

  it('refuses a range whose start is disputed or whose end is not', async () => {
    await expect(
      findFirstDivergence(
        0,
        8,
        () => 'x',
        () => 'y',
      ),
    ).rejects.toMatchObject({ code: 'VERIFY_BISECTION_INVALID' });
    await expect(
      findFirstDivergence(
        0,
        8,
        (i) => `${i}`,
        (i) => `${i}`,
      ),
    ).rejects.toMatchObject({ code: 'VERIFY_BISECTION_INVALID' });
  });
});

describe('tolerant comparison', () => {
  it('accepts float drift within the tolerance and refuses real differences, NaN and shape changes', () => {
    const a = Float32Array.from({ length: 100 }, (_, i) => Math.sin(i));
    const drift = a.map((x) => x * (1 + 1e-6));
    expect(withinTolerance(drift, a, 1e-4)).toBe(true);
    expect(
      withinTolerance(
        a.map((x) => x + 0.1),
        a,
        1e-4,
      ),
    ).toBe(false);
    expect(relativeL2Distance([Number.NaN], [1])).toBe(Number.POSITIVE_INFINITY);
    expect(relativeL2Distance([1, 2], [1])).toBe(Number.POSITIVE_INFINITY);
  });
});
