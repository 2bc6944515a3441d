/**
 * The validator-set rule (node/validator-set.ts) over what ValidatorStakes reports at an epoch's boundary block:
 * active stakers are in by stake, genesis validators keep their seat until they stake, a staked-then-slashed
 * genesis validator is out, and an empty result falls back to the genesis set.
 */
import { getAddress } from 'viem';
import { privateKeyToAddress } from 'viem/accounts';
import { describe, expect, it } from 'vitest';
import { validatorSetOf } from '../../src/node/validator-set.ts';

const addr = (i: number) => getAddress(privateKeyToAddress(`0x${(i + 1).toString(16).padStart(64, '0')}`));
const [g1, g2, g3, joiner] = [addr(1), addr(2), addr(3), addr(4)];
const sorted = (xs: string[]) => [...xs].sort((a, b) => (a.toLowerCase() < b.toLowerCase() ? -1 : 1));

describe('validatorSetOf', () => {
  it('keeps unstaked genesis validators, adds stakers by stake, drops a genesis validator that staked and left', () => {
    const set = validatorSetOf({
      active: [
        { address: g1, stake: 5n },
        { address: joiner, stake: 7n },
      ],
      genesis: [
        { address: g1, listed: true },
        { address: g2, listed: false },
        // Listed but not active: slashed below the minimum, or exiting.
        { address: g3, listed: true },
      ],
      minStake: 2n,
    });
    expect(set.map((v) => v.address)).toEqual(sorted([g1, g2, joiner]));
    expect(Object.fromEntries(set.map((v) => [v.address, v.stake]))).toEqual({ [g1]: 5n, [g2]: 2n, [joiner]: 7n });
    // Every member may draw bootstrap tickets.
    expect(set.every((v) => v.genesis)).toBe(true);
  });

  it('falls back to the genesis set when no member is left', () => {
    const set = validatorSetOf({
      active: [],
      genesis: [
        { address: g1, listed: true },
        { address: g2, listed: true },
      ],
      minStake: 2n,
    });
    expect(set.map((v) => v.address)).toEqual([g1, g2]);
  });
});
