import { describe, expect, it } from 'vitest';
import { strayValidators } from '../../src/pov-strays.ts';

describe('strayValidators (the PoV devnet restarts a validator left on a branch of its own)', () => {
  it('names the validators whose hash is not the majority', () => {
    expect(strayValidators(['0xa', '0xa', '0xb', '0xa'])).toEqual([2]);
    expect(strayValidators(['0xb', '0xa', '0xa', '0xa', '0xc'])).toEqual([0, 4]);
  });
  it('names none when all agree', () => {
    expect(strayValidators(['0xa', '0xa', '0xa', '0xa'])).toEqual([]);
  });
  it('names none without a strict majority (a 2–2 split cannot tell the stray)', () => {
    expect(strayValidators(['0xa', '0xa', '0xb', '0xb'])).toEqual([]);
    expect(strayValidators(['0xa', '0xb', '0xc', '0xd'])).toEqual([]);
  });
});
