/**
 * The all-reduce of a sharded job's gradients, N ranks, one vector of L floats per step.
 *
 * Reduce (a pipelined chain): the vector travels in chunks rank 0 → 1 → … → N−1; each rank folds its own microbatch
 * gradients, in order, into each chunk it receives before passing it on, so every chunk holds the canonical fold
 * ((0 + g_0) + g_1) + … (model-vessel runtime/shards.ts) when it reaches rank N−1. A ring all-reduce's rotating
 * start would sum in a different order per chunk, and with it the result would depend on N.
 * Distribute (scatter + all-gather): rank N−1 sends slice s of the sum to rank s (s < N−1), and each such rank
 * sends its slice to the other N−2. Per step a rank sends at most L(2N−3)/(N−1) floats, against the ring all-reduce
 * minimum 2L(N−1)/N: 1.0 at N = 2, 1.125 at 3, 1.11 at 4, → 1 as N grows.
 */

import { AicError } from '@aic/core';
import { evenRanges, foldInto, type GradientReducer } from '@aic/model-vessel';
import { type Frame, Phase } from './frames.ts';

/** The links of one rank to the others: ordered frames per peer rank. */
export interface RankLinks {
  send(to: number, frame: Frame): Promise<void>;
  /** The next frame from `from` (frames from one rank arrive in the order sent). */
  receive(from: number): Promise<Frame>;
}

/** Floats per reduce chunk: small enough to pipeline the chain, large enough that framing costs nothing. */
export const DEFAULT_CHUNK_FLOATS = 16_384;

function expectFrame(frame: Frame, step: number, phase: Phase, offset: number, length: number): Float32Array {
  if (frame.step !== step || frame.phase !== phase || frame.offset !== offset || frame.floats.length !== length) {
    throw new AicError('MSMG_PROTOCOL_ERROR', `expected step ${step} phase ${phase} at ${offset}, got another frame`, {
      details: { step: frame.step, phase: frame.phase, offset: frame.offset, floats: frame.floats.length },
    });
  }
  return frame.floats;
}

/** Sends `acc[start:end)` in chunks of at most `chunk` floats. */
async function sendRange(
  links: RankLinks,
  to: number,
  step: number,
  phase: Phase,
  acc: Float32Array,
  start: number,
  end: number,
  chunk: number,
) {
  for (let at = start; at < end; at += chunk) {
    await links.send(to, { step, phase, offset: at, floats: acc.subarray(at, Math.min(end, at + chunk)) });
  }
}

async function receiveRange(
  links: RankLinks,
  from: number,
  step: number,
  phase: Phase,
  acc: Float32Array,
  start: number,
  end: number,
  chunk: number,
) {
  for (let at = start; at < end; at += chunk) {
    const n = Math.min(end, at + chunk) - at;
    acc.set(expectFrame(await links.receive(from), step, phase, at, n), at);
  }
}

/** A reducer for rank `rank` of `workers` over `links`. */
export function chainAllReduce(
  links: RankLinks,
  rank: number,
  workers: number,
  chunk = DEFAULT_CHUNK_FLOATS,
): GradientReducer {
  return {
    async reduce(step, own, length) {
      const acc = new Float32Array(length);
      const last = workers - 1;
      // reduce: chunk by chunk along the chain
      const sends: Promise<void>[] = [];
      for (let at = 0; at < length; at += chunk) {
        const end = Math.min(length, at + chunk);
        if (rank > 0) acc.set(expectFrame(await links.receive(rank - 1), step, Phase.reduce, at, end - at), at);
        for (const g of own) foldInto(acc, g, at, end);
        if (rank < last)
          sends.push(links.send(rank + 1, { step, phase: Phase.reduce, offset: at, floats: acc.subarray(at, end) }));
      }
      await Promise.all(sends);
      if (workers === 1) return acc;
      // distribute: the last rank scatters slices, the others all-gather them
      const slices = evenRanges(length, last);
      if (rank === last) {
        for (const [s, r] of slices.entries())
          await sendRange(links, s, step, Phase.scatter, acc, r.start, r.end, chunk);
        return acc;
      }
      const mine = slices[rank] as { start: number; end: number };
      await receiveRange(links, last, step, Phase.scatter, acc, mine.start, mine.end, chunk);
      const gathers: Promise<void>[] = [];
      for (let t = 0; t < last; t++)
        if (t !== rank) gathers.push(sendRange(links, t, step, Phase.gather, acc, mine.start, mine.end, chunk));
      for (let t = 0; t < last; t++) {
        if (t === rank) continue;
        const r = slices[t] as { start: number; end: number };
        await receiveRange(links, t, step, Phase.gather, acc, r.start, r.end, chunk);
      }
      await Promise.all(gathers);
      return acc;
    },
  };
}
