/**
 * Tolerant comparison for fast (non-deterministic) backends: two weight vectors match when their relative L2
 * distance ‖a − b‖ / max(‖b‖, ε) is within the declared tolerance. Float drift within it is an honest fault, never fraud.
 */
export function relativeL2Distance(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length) return Number.POSITIVE_INFINITY;
  let diff = 0;
  let norm = 0;
  for (let i = 0; i < a.length; i++) {
    const d = a[i]! - b[i]!;
    diff += d * d;
    norm += b[i]! * b[i]!;
  }
  if (Number.isNaN(diff)) return Number.POSITIVE_INFINITY;
  return Math.sqrt(diff) / Math.max(Math.sqrt(norm), 1e-12);
}

export function withinTolerance(a: ArrayLike<number>, b: ArrayLike<number>, relativeTolerance: number): boolean {
  return relativeL2Distance(a, b) <= relativeTolerance;
}
