/**
 * A dispute after a mismatch (DESIGN.md §7): bisection over the committed commitments to a divergent segment (as in
 * Gensyn's Verde), then a referee committee, drawn from a seed nobody controls, re-runs that one segment; the
 * majority decides. Honest faults are not fraud: a referee whose re-run fails abstains, and abstentions count for
 * the provider.
 */
import { AicError } from '@aic/core';
import type { Commitment } from '@aic/model-vessel';
import { findFirstDivergence, sampleSegments } from '@aic/verification';
import { rerunSegment, type SegmentCheckInput } from './check-committed-job.ts';

/** The referee's value for commitment k (k > lo), or null when it cannot be reproduced from the provider's state. */
export type CommitmentRecompute = (index: number) => Promise<`0x${string}` | null>;

export interface DivergenceSearch {
  /** c_0 … c_n as the provider committed them. */
  readonly commitments: readonly Commitment[];
  readonly recompute: CommitmentRecompute;
  /** An index both sides agree on (default 0: c_0 is the seeded initial state, checked for free). */
  readonly lo?: number;
  /** The disputed index (default n). */
  readonly hi?: number;
}

export interface DivergentSegment {
  /** Segment i: c_i agreed, c_{i+1} not reproduced. */
  readonly segment: number;
  /** Commitment indices compared along the way. */
  readonly probes: readonly number[];
}

/**
 * Binary search for the first commitment in (lo, hi] that the referee does not reproduce; the segment ending there
 * diverges, found with O(log(hi − lo)) recomputations. With `recompute` = the referee's own continuous run from c_lo
 * (agreement is then monotone) it is the FIRST divergent segment; with `segmentRecompute` (one segment from the
 * provider's checkpoint per probe) it is a segment the provider provably did not compute, the first after the last
 * agreeing probe.
 */
export async function findDivergentSegment(search: DivergenceSearch): Promise<DivergentSegment> {
  const { commitments } = search;
  const lo = search.lo ?? 0;
  const hi = search.hi ?? commitments.length - 1;
  if (!(lo >= 0 && lo < hi && hi < commitments.length)) {
    throw new AicError('VERIFY_BISECTION_INVALID', 'need 0 ≤ lo < hi ≤ n', { details: { lo, hi } });
  }
  const claimed = (k: number) => commitments[k]?.hash ?? '';
  const recompute = async (k: number) => (k === lo ? claimed(lo) : ((await search.recompute(k)) ?? 'unreproducible'));
  const { firstDivergent, probes } = await findFirstDivergence(lo, hi, claimed, recompute);
  return { segment: firstDivergent - 1, probes };
}

/** Recomputes c_k by re-running segment k − 1 from the provider's checkpoint k − 1 (null if that state is forged). */
export const segmentRecompute =
  (input: SegmentCheckInput): CommitmentRecompute =>
  (k) =>
    rerunSegment(input, k - 1);

/** The committee: `size` distinct referees out of `candidates`, drawn from a seed fixed after the dispute opened. */
export function pickReferees<T>(seed: bigint, disputeKey: string, candidates: readonly T[], size: number): T[] {
  const chosen = sampleSegments(seed, `referees:${disputeKey}`, candidates.length, size);
  return chosen.map((i) => candidates[i] as T);
}

export interface RefereeVote<R> {
  readonly referee: R;
  /** true: reproduced the claim; false: did not; null: the re-run failed (abstains). */
  readonly reproduced: boolean | null;
}

export interface RefereeVerdict<R> {
  readonly providerCheated: boolean;
  readonly segment: number;
  readonly votes: readonly RefereeVote<R>[];
}

/**
 * Each referee independently re-runs `segment` (here one after another); the provider cheated iff more than half of
 * the whole committee failed to reproduce its commitment.
 */
export async function refereeVerdict<R>(input: {
  segment: number;
  committee: readonly R[];
  reproduces: (referee: R, segment: number) => Promise<boolean>;
}): Promise<RefereeVerdict<R>> {
  if (input.committee.length < 1) throw new AicError('VERIFY_COMMITTEE_EMPTY', 'a dispute needs referees');
  const votes: RefereeVote<R>[] = [];
  for (const referee of input.committee) {
    const reproduced = await input.reproduces(referee, input.segment).catch(() => null);
    votes.push({ referee, reproduced });
  }
  const against = votes.filter((v) => v.reproduced === false).length;
  return { providerCheated: against * 2 > input.committee.length, segment: input.segment, votes };
}
