/**
 * Exact min-cost assignment on a sparse bipartite graph by successive shortest augmenting paths (Dijkstra with
 * Jonker–Volgenant potentials): rows are jobs, columns are offer slots, each row lists its allowed columns with a
 * non-negative cost. Maximizes the number of assigned rows, then minimizes total cost. O(rows × E log E).
 */
export interface SparseEdge {
  readonly column: number;
  readonly cost: number;
}

/** Column assigned to each row, or -1 when no augmenting path could reach a free column. */
export function assignSparse(rows: ReadonlyArray<readonly SparseEdge[]>, columns: number): number[] {
  const u = new Float64Array(rows.length);
  const v = new Float64Array(columns);
  const rowOfColumn = new Int32Array(columns).fill(-1);
  const columnOfRow = new Int32Array(rows.length).fill(-1);
  const dist = new Float64Array(columns).fill(Number.POSITIVE_INFINITY);
  const fromRow = new Int32Array(columns).fill(-1);
  const settled = new Uint8Array(columns);
  for (let s = 0; s < rows.length; s++) {
    const touched: number[] = [];
    const heap = new MinHeap();
    const relax = (row: number, base: number) => {
      for (const e of rows[row]!) {
        const d = base + e.cost - u[row]! - v[e.column]!;
        if (settled[e.column] || d >= dist[e.column]!) continue;
        if (dist[e.column] === Number.POSITIVE_INFINITY) touched.push(e.column);
        dist[e.column] = d;
        fromRow[e.column] = row;
        heap.push(d, e.column);
      }
    };
    relax(s, 0);
    let end = -1;
    const order: number[] = [];
    while (heap.size > 0) {
      const [d, column] = heap.pop();
      if (settled[column] || d > dist[column]!) continue;
      settled[column] = 1;
      order.push(column);
      const owner = rowOfColumn[column]!;
      if (owner < 0) {
        end = column;
        break;
      }
      relax(owner, d);
    }
    if (end >= 0) {
      const total = dist[end]!;
      for (const column of order) {
        const delta = total - dist[column]!;
        v[column] = v[column]! - delta;
        const owner = rowOfColumn[column]!;
        if (owner >= 0) u[owner] = u[owner]! + delta;
      }
      u[s] = u[s]! + total;
      for (let column = end; ; ) {
        const row = fromRow[column]!;
        const previous = columnOfRow[row]!;
        rowOfColumn[column] = row;
        columnOfRow[row] = column;
        if (row === s) break;
        column = previous;
      }
    }
    for (const column of touched) {
      dist[column] = Number.POSITIVE_INFINITY;
      settled[column] = 0;
      fromRow[column] = -1;
    }
  }
  return Array.from(columnOfRow);
}

/** Binary heap of (key, value) pairs, smallest key first. */
class MinHeap {
  private readonly keys: number[] = [];
  private readonly values: number[] = [];
  get size(): number {
    return this.keys.length;
  }
  push(key: number, value: number): void {
    let i = this.keys.length;
    this.keys.push(key);
    this.values.push(value);
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (this.keys[parent]! <= key) break;
      this.keys[i] = this.keys[parent]!;
      this.values[i] = this.values[parent]!;
      i = parent;
    }
    this.keys[i] = key;
    this.values[i] = value;
  }
  pop(): [number, number] {
    const top: [number, number] = [this.keys[0]!, this.values[0]!];
    const lastKey = this.keys.pop()!;
    const lastValue = this.values.pop()!;
    const n = this.keys.length;
    if (n > 0) {
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        if (l >= n) break;
        const r = l + 1;
        const c = r < n && this.keys[r]! < this.keys[l]! ? r : l;
        if (this.keys[c]! >= lastKey) break;
        this.keys[i] = this.keys[c]!;
        this.values[i] = this.values[c]!;
        i = c;
      }
      this.keys[i] = lastKey;
      this.values[i] = lastValue;
    }
    return top;
  }
}
