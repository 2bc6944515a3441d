import { Prng, type PrngState } from './prng.ts';

/**
 * Where the batch order stands: the PRNG state at the start of the current epoch (the epoch's permutation is drawn
 * from it), the epoch number and the position inside the permutation. This is the "rng state" of a checkpoint.
 */
export interface BatchScheduleState {
  readonly epochStartPrng: PrngState;
  readonly epoch: number;
  readonly cursor: number;
}

/** Fixed, seeded batch order: each epoch is a fresh permutation drawn from one PRNG stream; the last batch may be short. */
export class BatchSchedule {
  private readonly prng: Prng;
  private permutation: Int32Array;
  private epochStartPrng: PrngState;
  private epoch: number;
  private cursor: number;

  constructor(
    private readonly sampleCount: number,
    state: BatchScheduleState,
  ) {
    this.prng = new Prng(state.epochStartPrng);
    this.epochStartPrng = state.epochStartPrng;
    this.permutation = this.prng.permutation(sampleCount);
    this.epoch = state.epoch;
    this.cursor = state.cursor;
  }

  get state(): BatchScheduleState {
    return { epochStartPrng: this.epochStartPrng, epoch: this.epoch, cursor: this.cursor };
  }

  /** The sample indices of the next batch. */
  next(batchSize: number): Int32Array {
    if (this.cursor >= this.sampleCount) {
      this.epochStartPrng = this.prng.state;
      this.permutation = this.prng.permutation(this.sampleCount);
      this.epoch++;
      this.cursor = 0;
    }
    const end = Math.min(this.cursor + batchSize, this.sampleCount);
    const batch = this.permutation.slice(this.cursor, end);
    this.cursor = end;
    return batch;
  }
}

/** Steps in a job of `epochs` passes over `sampleCount` samples. */
export const stepsFor = (sampleCount: number, batchSize: number, epochs: number): number =>
  Math.ceil(sampleCount / batchSize) * epochs;
