/**
 * An epoch's rating as RewardsPool takes it (ScoreRounds.ScoreSet): the contributors with a non-zero score, sorted by
 * address, and the penalties. Raters propose, back and challenge these sets by hash, so two honest raters must build
 * byte-identical sets from the same chain: hence one canonical form, built here.
 */
import type { EpochRating } from './score.ts';
import type { Address } from './types.ts';

export interface ScoreSet {
  contributors: Address[];
  scores: bigint[];
  penalized: Address[];
  /** AIC wei clawed back from each penalized contributor's unclaimed rewards. */
  penalties: bigint[];
}

/** The canonical score set of a rating (zero scores and zero penalties left out, addresses lower case and sorted). */
export function scoreSetOf(
  rating: Pick<EpochRating, 'scores'> & { penalties?: ReadonlyMap<Address, bigint> },
): ScoreSet {
  const scored = sortedNonZero(rating.scores);
  const penalized = sortedNonZero(rating.penalties ?? new Map());
  return {
    contributors: scored.map(([a]) => a),
    scores: scored.map(([, s]) => s),
    penalized: penalized.map(([a]) => a),
    penalties: penalized.map(([, p]) => p),
  };
}

/** True when two sets are the same (what their on-chain hashes compare). */
export function sameScoreSet(a: ScoreSet, b: ScoreSet): boolean {
  const eq = <T>(x: readonly T[], y: readonly T[], f: (v: T) => string) =>
    x.length === y.length && x.every((v, i) => f(v) === f(y[i] as T));
  const addr = (v: string) => v.toLowerCase();
  return (
    eq(a.contributors, b.contributors, addr) &&
    eq(a.scores, b.scores, String) &&
    eq(a.penalized, b.penalized, addr) &&
    eq(a.penalties, b.penalties, String)
  );
}

function sortedNonZero(values: ReadonlyMap<Address, bigint>): Array<[Address, bigint]> {
  return [...values]
    .filter(([, v]) => v > 0n)
    .map(([a, v]): [Address, bigint] => [a.toLowerCase(), v])
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
}
