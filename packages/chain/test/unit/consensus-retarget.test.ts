import { devnetPreset } from '@aic/core/params';
import { keccak_256 } from '@noble/hashes/sha3.js';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  type EpochBlock,
  epochStateAt,
  genesisEpochState,
  nextEpochState,
  retarget,
} from '../../src/consensus/epoch.ts';
import { consensusParams, THRESHOLD_MAX, THRESHOLD_MIN } from '../../src/consensus/params.ts';
import { isEligible } from '../../src/consensus/ticket.ts';

const params = consensusParams(devnetPreset.pov, 7777n);
const slotsPerEpoch = Number(params.slotsPerEpoch);
const slotSec = params.slotMs / 1000;

/**
 * Simulates epochs of equal-weight validators: each slot, each validator's VRF output (a keccak stand-in, uniform
 * like beta) is tested with the real `isEligible`; a slot with any eligible proposer holds a block; the threshold
 * is retargeted from the blocks of epoch e − lookback, as nodes do.
 */
function simulate(validatorsPerEpoch: (epoch: number) => number, epochs: number, seed: string) {
  let threshold = params.initialThreshold;
  const blocksPerEpoch: number[] = [];
  for (let e = 0; e < epochs; e++) {
    const n = validatorsPerEpoch(e);
    let blocks = 0;
    for (let s = 0; s < slotsPerEpoch; s++) {
      for (let v = 0; v < n; v++) {
        const beta = keccak_256(new TextEncoder().encode(`${seed}/${e}/${s}/${v}`));
        if (isEligible(beta, 1n, BigInt(n), threshold)) {
          blocks++;
          break;
        }
      }
    }
    blocksPerEpoch.push(blocks);
    const source = e + 1 - Number(params.lookbackEpochs);
    if (source >= 0) threshold = retarget(threshold, BigInt(blocksPerEpoch[source] ?? 0), params);
  }
  const rate = (from: number, to: number) =>
    blocksPerEpoch.slice(from, to).reduce((a, b) => a + b, 0) / ((to - from) * slotsPerEpoch * slotSec);
  return { rate };
}

describe('threshold retargeting', () => {
  it('holds 0.5 ± 0.05 blocks/s with 4 validators, and again after they grow to 8', () => {
    const { rate } = simulate((e) => (e < 60 ? 4 : 8), 120, 'grow');
    expect(params.targetBlocksPerSlotPpm).toBe(500_000n);
    expect(Math.abs(rate(10, 60) - 0.5)).toBeLessThan(0.05);
    expect(Math.abs(rate(70, 120) - 0.5)).toBeLessThan(0.05);
  });

  it('recovers from a threshold far off target within a bounded number of epochs', () => {
    for (const start of [THRESHOLD_MIN * 1000n, params.initialThreshold * 50n]) {
      let threshold = start;
      for (let e = 0; e < 40; e++) {
        // the expected block count of an epoch under `threshold` with many equal validators: S × (1 − e^−τ)
        const tau = Number(threshold) / 1e9;
        threshold = retarget(threshold, BigInt(Math.round(slotsPerEpoch * (1 - Math.exp(-tau)))), params);
      }
      expect(Number(threshold) / 1e9).toBeGreaterThan(0.55);
      expect(Number(threshold) / 1e9).toBeLessThan(0.85);
    }
  });

  it('property: one step stays within ×[1/2, 2] and the global bounds', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: 1n, max: THRESHOLD_MAX }), fc.integer({ min: 0, max: slotsPerEpoch }), (t, b) => {
        const next = retarget(t, BigInt(b), params);
        expect(next).toBeLessThanOrEqual(t * 2n > THRESHOLD_MAX ? THRESHOLD_MAX : t * 2n);
        expect(next).toBeGreaterThanOrEqual(t / 2n < THRESHOLD_MIN ? THRESHOLD_MIN : t / 2n);
        if (b === 16) expect(next).toBe(t); // on target: unchanged
      }),
      { numRuns: 200, seed: 17 },
    );
  });
});

describe('epoch randomness', () => {
  const genesis = new Uint8Array(32).fill(1);
  const block = (slot: number, tag: number): EpochBlock => ({
    slot: BigInt(slot),
    vrfOutput: keccak_256(Uint8Array.of(tag)),
  });

  it('mixes the VRF outputs of epoch e − 2 into epoch e, in slot order, whatever order they are given in', () => {
    const ancestry = [block(3, 1), block(1, 2), block(40, 3), block(70, 4)];
    const s2 = epochStateAt(genesis, ancestry, 2n, params);
    const s2Reordered = epochStateAt(genesis, [...ancestry].reverse(), 2n, params);
    expect(s2.randomness).toEqual(s2Reordered.randomness);
    // epoch 2 depends on epoch 0's blocks only: epoch 1's and 2's blocks do not move it
    expect(epochStateAt(genesis, ancestry.slice(0, 2), 2n, params).randomness).toEqual(s2.randomness);
    const otherBlock = epochStateAt(genesis, [block(3, 9), block(1, 2)], 2n, params);
    expect(otherBlock.randomness).not.toEqual(s2.randomness);
    // step by step equals the fold
    const g = genesisEpochState(genesis, params);
    const s1 = nextEpochState(g, [], params);
    expect(nextEpochState(s1, [block(1, 2), block(3, 1)], params)).toEqual(s2);
  });

  it('rejects source blocks of the wrong epoch or sharing a slot', () => {
    const s1 = nextEpochState(genesisEpochState(genesis, params), [], params);
    expect(() => nextEpochState(s1, [block(40, 1)], params)).toThrow(/source epoch/);
    expect(() => nextEpochState(s1, [block(2, 1), block(2, 2)], params)).toThrow(/share a slot/);
  });
});
