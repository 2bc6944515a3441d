import { describe, expect, it } from 'vitest';
import { sameScoreSet, scoreSetOf } from '../../src/index.ts';

describe('scoreSetOf: the canonical set raters propose and compare by hash', () => {
  it('keeps non-zero scores and penalties, lower-cases and sorts the addresses', () => {
    const set = scoreSetOf({
      scores: new Map([
        ['0xBB', 2n],
        ['0xaa', 1n],
        ['0xcc', 0n],
      ]),
      penalties: new Map([
        ['0xDD', 5n],
        ['0xee', 0n],
      ]),
    });
    expect(set).toEqual({ contributors: ['0xaa', '0xbb'], scores: [1n, 2n], penalized: ['0xdd'], penalties: [5n] });
  });

  it('finds two sets equal only when every contributor, score and penalty matches', () => {
    const a = scoreSetOf({ scores: new Map([['0xaa', 1n]]) });
    expect(sameScoreSet(a, scoreSetOf({ scores: new Map([['0xAA', 1n]]) }))).toBe(true);
    expect(sameScoreSet(a, scoreSetOf({ scores: new Map([['0xaa', 2n]]) }))).toBe(false);
    expect(sameScoreSet(a, scoreSetOf({ scores: new Map([['0xaa', 1n]]), penalties: new Map([['0xaa', 1n]]) }))).toBe(
      false,
    );
  });
});
