/**
 * The canonical gradient accumulation of sharded (MSMG) jobs, pure. A step's batch is cut into M contiguous
 * microbatches (M is part of the job spec, so of its digest); each microbatch's gradient is computed on its own and
 * the M gradients are summed as one left fold in microbatch order, ((0 + g_0) + g_1) + … + g_{M−1}, element by element
 * in float32. Float addition is not associative, so this fixed order is what makes the result independent of how
 * many workers share the step: N workers take contiguous microbatch ranges (rank r takes [⌊rM/N⌋, ⌊(r+1)M/N⌋)) and
 * the partial fold travels rank 0 → 1 → … → N−1, each rank adding its own gradients in order. One worker computing
 * all M, a verifier simulating N shards in one process, and N processes all get bit-identical sums, so a sharded job
 * has one commitment chain whatever N is. (The fused one-worker path of unsharded jobs sums over the batch inside
 * one matmul, an order no split can reproduce; that is why sharding is opted into with M.)
 */

/** [start, end) of one contiguous range. */
export interface Range {
  readonly start: number;
  readonly end: number;
}

/** Contiguous [⌊i·total/parts⌋, ⌊(i+1)·total/parts⌋) for i = 0 … parts−1 (some may be empty when total < parts). */
export function evenRanges(total: number, parts: number): Range[] {
  return Array.from({ length: parts }, (_, i) => ({
    start: Math.floor((i * total) / parts),
    end: Math.floor(((i + 1) * total) / parts),
  }));
}

/** Positions (within the step's batch) of each of the M microbatches; a short last batch may leave some empty. */
export const microbatchRanges = (batchLength: number, microbatches: number): Range[] =>
  evenRanges(batchLength, microbatches);

/** The microbatch indices rank `rank` of `workers` computes. */
export function microbatchesOfRank(microbatches: number, workers: number, rank: number): Range {
  return evenRanges(microbatches, workers)[rank] as Range;
}

/** acc[start:end) += g[start:end) in float32 (the Float32Array store rounds each sum): one step of the fold. */
export function foldInto(acc: Float32Array, g: Float32Array, start = 0, end = acc.length): void {
  for (let i = start; i < end; i++) acc[i] = (acc[i] as number) + (g[i] as number);
}

/** The canonical sum of gradients already in microbatch order: ((0 + g_0) + g_1) + … */
export function foldGradients(gradients: readonly Float32Array[], length: number): Float32Array {
  const acc = new Float32Array(length);
  for (const g of gradients) foldInto(acc, g);
  return acc;
}

/**
 * Sums a step's gradients across ranks. `own` are this rank's microbatch gradients in order (each `length` floats);
 * the answer is the canonical fold over every rank's, identical on every rank.
 */
export interface GradientReducer {
  reduce(step: number, own: readonly Float32Array[], length: number): Promise<Float32Array>;
}

/** Where one worker stands in a sharded job: its rank among `workers`, and how the ranks' gradients meet. */
export interface ShardRole {
  readonly rank: number;
  readonly workers: number;
  readonly reducer: GradientReducer;
}

/** One process, all microbatches: the fold itself. */
export const localReducer: GradientReducer = {
  reduce: async (_step, own, length) => foldGradients(own, length),
};
