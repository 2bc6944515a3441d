import { keccak_256 } from '@noble/hashes/sha3.js';
import { describe, expect, it } from 'vitest';
import { BatchSchedule, commitmentHash, Prng, prngStateFromSeed, stepsFor } from '../../src/index.ts';

const run = (schedule: BatchSchedule, steps: number, batch: number) =>
  Array.from({ length: steps }, () => Array.from(schedule.next(batch)));

describe('seeded batch order', () => {
  it('implements xoshiro128** (known answers for state 1, 2, 3, 4)', () => {
    const prng = new Prng([1, 2, 3, 4]);
    expect([prng.nextU32(), prng.nextU32(), prng.nextU32(), prng.nextU32()]).toEqual([11520, 0, 5927040, 70819200]);
  });

  it('draws permutations that are a pure function of the seed', () => {
    const a = new Prng(prngStateFromSeed(7)).permutation(50);
    const b = new Prng(prngStateFromSeed(7)).permutation(50);
    const c = new Prng(prngStateFromSeed(8)).permutation(50);
    expect(Array.from(a)).toEqual(Array.from(b));
    expect(Array.from(a)).not.toEqual(Array.from(c));
    expect([...a].sort((x, y) => x - y)).toEqual(Array.from({ length: 50 }, (_, i) => i));
  });

  it('covers every sample once per epoch, with a short last batch', () => {
    const schedule = new BatchSchedule(10, { epochStartPrng: prngStateFromSeed(1), epoch: 0, cursor: 0 });
    const epoch = run(schedule, 3, 4);
    expect(epoch.map((b) => b.length)).toEqual([4, 4, 2]);
    expect(epoch.flat().sort((x, y) => x - y)).toEqual(Array.from({ length: 10 }, (_, i) => i));
    expect(stepsFor(10, 4, 5)).toBe(15);
    expect(schedule.state.epoch).toBe(0);
    schedule.next(4);
    expect(schedule.state.epoch).toBe(1);
  });

  it('continues identically from a saved state, also across epoch boundaries', () => {
    const whole = new BatchSchedule(10, { epochStartPrng: prngStateFromSeed(3), epoch: 0, cursor: 0 });
    const first = run(whole, 4, 4);
    const saved = whole.state;
    const rest = run(whole, 9, 4);
    const resumed = new BatchSchedule(10, saved);
    expect(run(resumed, 9, 4)).toEqual(rest);
    expect(first.length).toBe(4);
  });
});

describe('commitment format', () => {
  it('is keccak256(uint64_be(step) ‖ four 32-byte digests)', () => {
    const d = (fill: number) => new Uint8Array(32).fill(fill);
    const digests = { weights: d(1), optimizer: d(2), rng: d(3), batches: d(4) };
    const expected = new Uint8Array(136);
    expected[7] = 5;
    expected.set(d(1), 8);
    expected.set(d(2), 40);
    expected.set(d(3), 72);
    expected.set(d(4), 104);
    expect(commitmentHash(5, digests)).toBe(`0x${Buffer.from(keccak_256(expected)).toString('hex')}`);
  });
});
