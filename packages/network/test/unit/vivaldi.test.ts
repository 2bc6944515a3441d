import { describe, expect, it } from 'vitest';
import {
  estimateCoordinateRttMs,
  isValidCoordinate,
  originCoordinate,
  updateCoordinate,
  type VivaldiCoordinate,
} from '../../src/index.ts';

/** Deterministic PRNG (mulberry32) so the convergence figure is reproducible. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A synthetic internet: nodes on a 200 ms-wide plane plus a 1–10 ms access link each, with ±5 % jitter. */
function syntheticLatency(nodes: number, random: () => number) {
  const points = Array.from({ length: nodes }, () => ({ x: random() * 200, y: random() * 200, h: 1 + random() * 9 }));
  const rtt = (i: number, j: number) => {
    const p = points[i]!;
    const q = points[j]!;
    return Math.hypot(p.x - q.x, p.y - q.y) + p.h + q.h;
  };
  return { rtt, sample: (i: number, j: number) => rtt(i, j) * (0.95 + random() * 0.1) };
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

describe('Vivaldi coordinates', () => {
  it('converge on a synthetic 40-node latency matrix to a median relative error below 10 %', () => {
    const random = prng(42);
    const n = 40;
    const net = syntheticLatency(n, random);
    const coords: VivaldiCoordinate[] = Array.from({ length: n }, () => originCoordinate());
    for (let round = 0; round < 300; round++) {
      for (let i = 0; i < n; i++) {
        const j = (i + 1 + Math.floor(random() * (n - 1))) % n;
        coords[i] = updateCoordinate(coords[i]!, coords[j]!, net.sample(i, j), random);
      }
    }
    const errors: number[] = [];
    for (let i = 0; i < n; i++) {
      for (let j = i + 1; j < n; j++) {
        const truth = net.rtt(i, j);
        errors.push(Math.abs(estimateCoordinateRttMs(coords[i]!, coords[j]!) - truth) / truth);
      }
    }
    expect(median(errors)).toBeLessThan(0.1);
    expect(coords.every((c) => isValidCoordinate(c))).toBe(true);
    // Confidence grows as samples agree with the model.
    expect(median(coords.map((c) => c.error))).toBeLessThan(0.3);
  });

  it('estimates symmetric distances that include both heights', () => {
    const a = { vec: [3, 0, 0], height: 1, error: 0.5 };
    const b = { vec: [0, 4, 0], height: 2, error: 0.5 };
    expect(estimateCoordinateRttMs(a, b)).toBeCloseTo(8);
    expect(estimateCoordinateRttMs(b, a)).toBeCloseTo(8);
  });

  it('moves two coincident nodes apart toward the measured RTT', () => {
    const random = prng(1);
    let a = originCoordinate();
    let b = originCoordinate();
    for (let k = 0; k < 200; k++) {
      a = updateCoordinate(a, b, 50, random);
      b = updateCoordinate(b, a, 50, random);
    }
    expect(estimateCoordinateRttMs(a, b)).toBeGreaterThan(45);
    expect(estimateCoordinateRttMs(a, b)).toBeLessThan(55);
  });

  it('ignores non-positive or non-finite RTT samples', () => {
    const a = originCoordinate();
    const b = { vec: [10, 0, 0], height: 1, error: 0.2 };
    expect(updateCoordinate(a, b, 0, Math.random)).toBe(a);
    expect(updateCoordinate(a, b, Number.NaN, Math.random)).toBe(a);
    expect(updateCoordinate(a, b, Number.POSITIVE_INFINITY, Math.random)).toBe(a);
  });

  it('rejects coordinates of the wrong shape or with non-finite parts', () => {
    expect(isValidCoordinate({ vec: [0, 0], height: 1, error: 1 })).toBe(false);
    expect(isValidCoordinate({ vec: [0, Number.NaN, 0], height: 1, error: 1 })).toBe(false);
    expect(isValidCoordinate({ vec: [0, 0, 0], height: -1, error: 1 })).toBe(false);
    expect(isValidCoordinate({ vec: [0, 0, 0], height: 1, error: 9 })).toBe(false);
  });
});
