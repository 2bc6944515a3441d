import { type IntervalHistogram, monitorEventLoopDelay } from 'node:perf_hooks';

/** Event-loop delay of this thread, in ms: how long ready callbacks waited beyond their due time. */
export interface EventLoopDelay {
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
}

/**
 * Samples this thread's event-loop delay (perf_hooks, 10 ms resolution) from now on, so that a latency figure can be
 * read beside it: a gossip p99 close to the event loop's p99 is this process waiting for a core (CPU starvation, the
 * machine's other load included), a gossip p99 well above it is the protocol (hops, heartbeats, retransmissions).
 */
export class EventLoopDelayMonitor {
  #histogram: IntervalHistogram = monitorEventLoopDelay({ resolution: 10 });

  constructor() {
    this.#histogram.enable();
  }

  /** Forgets what was sampled so far (e.g. the start-up's handshakes) and keeps sampling. */
  reset(): void {
    this.#histogram.reset();
  }

  read(): EventLoopDelay {
    // The histogram counts the sampling timer's own 10 ms period in each value: subtract it.
    const lag = (ns: number) => Math.max(0, Math.round((ns / 1e6 - 10) * 100) / 100);
    return {
      p50Ms: lag(this.#histogram.percentile(50)),
      p99Ms: lag(this.#histogram.percentile(99)),
      maxMs: lag(this.#histogram.max),
    };
  }

  stop(): void {
    this.#histogram.disable();
  }
}
