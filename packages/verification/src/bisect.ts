/**
 * Dispute bisection (as in Gensyn's Verde): given a claimed sequence of step commitments whose first element both
 * sides agree on and whose last they dispute, find the first step where the claim diverges from an honest re-run,
 * with O(log n) re-computations. The referee committee then re-runs only that one step.
 */
import { AicError } from '@aic/core';

export interface BisectionResult {
  /** First index whose claimed commitment differs from the recomputed one. */
  readonly firstDivergent: number;
  /** Indices recomputed along the way (for cost accounting and audit). */
  readonly probes: readonly number[];
}

/**
 * `claimed(i)` returns the provider's commitment for step i; `recompute(i)` the referee's. Requires
 * claimed(lo) = recompute(lo) (the agreed start) and claimed(hi) ≠ recompute(hi) (the dispute).
 */
export async function findFirstDivergence(
  lo: number,
  hi: number,
  claimed: (i: number) => string | Promise<string>,
  recompute: (i: number) => string | Promise<string>,
): Promise<BisectionResult> {
  const probes: number[] = [];
  const agrees = async (i: number) => {
    probes.push(i);
    return (await claimed(i)) === (await recompute(i));
  };
  if (!(await agrees(lo)))
    throw new AicError('VERIFY_BISECTION_INVALID', 'the start of the range is already disputed', { details: { lo } });
  if (await agrees(hi))
    throw new AicError('VERIFY_BISECTION_INVALID', 'the end of the range is not disputed', { details: { hi } });
  let good = lo;
  let bad = hi;
  while (bad - good > 1) {
    const mid = good + Math.floor((bad - good) / 2);
    if (await agrees(mid)) good = mid;
    else bad = mid;
  }
  return { firstDivergent: bad, probes };
}
