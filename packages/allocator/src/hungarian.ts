/**
 * Exact min-cost assignment (Hungarian algorithm with potentials, O(n²m)) of n rows to m ≥ n columns.
 * Used as the reference optimum for the allocator's quality check; `Infinity` marks a forbidden pair.
 */
export function hungarian(cost: ReadonlyArray<ArrayLike<number>>): { assignment: number[]; total: number } {
  const n = cost.length;
  const m = n === 0 ? 0 : cost[0]!.length;
  if (m < n) throw new RangeError('hungarian needs at least as many columns as rows');
  const BIG = 1e18;
  const at = (i: number, j: number) => {
    const c = cost[i - 1]![j - 1]!;
    return Number.isFinite(c) ? c : BIG;
  };
  const u = new Float64Array(n + 1);
  const v = new Float64Array(m + 1);
  const p = new Int32Array(m + 1); // p[j] = row matched to column j (1-based), 0 = none
  const way = new Int32Array(m + 1);
  for (let i = 1; i <= n; i++) {
    p[0] = i;
    let j0 = 0;
    const minv = new Float64Array(m + 1).fill(Number.POSITIVE_INFINITY);
    const used = new Uint8Array(m + 1);
    do {
      used[j0] = 1;
      const i0 = p[j0]!;
      let delta = Number.POSITIVE_INFINITY;
      let j1 = 0;
      for (let j = 1; j <= m; j++) {
        if (used[j]) continue;
        const cur = at(i0, j) - u[i0]! - v[j]!;
        if (cur < minv[j]!) {
          minv[j] = cur;
          way[j] = j0;
        }
        if (minv[j]! < delta) {
          delta = minv[j]!;
          j1 = j;
        }
      }
      for (let j = 0; j <= m; j++) {
        if (used[j]) {
          u[p[j]!] = u[p[j]!]! + delta;
          v[j] = v[j]! - delta;
        } else {
          minv[j] = minv[j]! - delta;
        }
      }
      j0 = j1;
    } while (p[j0] !== 0);
    do {
      const j1 = way[j0]!;
      p[j0] = p[j1]!;
      j0 = j1;
    } while (j0 !== 0);
  }
  const assignment = new Array<number>(n).fill(-1);
  for (let j = 1; j <= m; j++) if (p[j]! > 0) assignment[p[j]! - 1] = j - 1;
  let total = 0;
  for (let i = 0; i < n; i++) total += at(i + 1, assignment[i]! + 1);
  return { assignment, total };
}
