/**
 * Issue 18 item 6: over a long simulated devnet run — hours of transactions, bursts of job transactions and a
 * challenge window after every job — the chain's time stays within 60 s of the wall clock. The wall clock is
 * injected and the chain is a model of EDR's block timestamps (each block ≥ the last + 1 s unless blocks may share a
 * timestamp; time travel shifts every later block), so nothing sleeps.
 */
import { describe, expect, it } from 'vitest';
import { createChainClock, type MiningMode, nextMiningMode } from '../../src/chain-clock.ts';

/** EDR's timestamp rule, with automine, interval mining and an offset from time travel. */
class SimChain {
  ts: number;
  offsetSec = 0;
  automine = true;
  intervalMs: number;
  private sinceBlockMs = 0;
  blocks = 0;
  constructor(
    private readonly wallMs: () => number,
    intervalMs: number,
    private readonly shareTimestamps: boolean,
  ) {
    this.ts = Math.floor(wallMs() / 1000);
    this.intervalMs = intervalMs;
  }
  mine(): void {
    const wall = Math.floor(this.wallMs() / 1000) + this.offsetSec;
    this.ts = this.shareTimestamps ? Math.max(this.ts, wall) : Math.max(this.ts + 1, wall);
    this.blocks++;
    this.sinceBlockMs = 0;
  }
  sendTransaction(): void {
    if (this.automine) this.mine();
  }
  elapse(ms: number): void {
    this.sinceBlockMs += ms;
    if (this.intervalMs > 0 && this.sinceBlockMs >= this.intervalMs) this.mine();
  }
  readonly provider = {
    request: async ({ method, params }: { method: string; params?: unknown[] }): Promise<unknown> => {
      if (method === 'eth_getBlockByNumber') return { timestamp: `0x${this.ts.toString(16)}` };
      if (method === 'evm_setAutomine') this.automine = params![0] as boolean;
      else if (method === 'evm_setIntervalMining') this.intervalMs = params![0] as number;
      else throw new Error(`the devnet must not call ${method}`);
      return null;
    },
  };
}

interface RunResult {
  maxLeadSec: number;
  windows: number;
  maxWindowWaitSec: number;
  catchUps: number;
}

/**
 * Three hours of a busy devnet: ~1.5 transactions a second, and every 2 minutes a job whose 25 transactions come at
 * once, then a 5 s challenge window that must pass on chain before it settles. `oldFastForward` is what the devnet
 * did before: jump the chain's clock by 61 s per job (evm_increaseTime).
 */
async function simulate(o: {
  clock: boolean;
  shareTimestamps?: boolean;
  oldFastForward?: boolean;
}): Promise<RunResult> {
  let wallMs = Date.UTC(2026, 11, 1);
  const chain = new SimChain(() => wallMs, 1_000, o.shareTimestamps === true);
  const clock = createChainClock({ provider: chain.provider, intervalMs: 1_000, now: () => wallMs });
  let random = 0x2545f491;
  const uniform = () => {
    random = (Math.imul(random, 1_103_515_245) + 12_345) >>> 0;
    return random / 2 ** 32;
  };
  const stepMs = 100;
  const endMs = wallMs + 3 * 3_600_000;
  let maxLeadSec = Number.NEGATIVE_INFINITY;
  let window: { endSec: number; startedMs: number } | undefined;
  let windows = 0;
  let maxWindowWaitSec = 0;
  for (let t = 0; wallMs < endMs; t += stepMs) {
    wallMs += stepMs;
    chain.elapse(stepMs);
    if (uniform() < 0.15) chain.sendTransaction();
    if (t % 120_000 === 0) {
      for (let k = 0; k < 25; k++) chain.sendTransaction();
      if (o.oldFastForward) chain.offsetSec += 61;
      window = { endSec: chain.ts + 5, startedMs: wallMs };
    }
    if (window !== undefined && chain.ts >= window.endSec) {
      windows++;
      maxWindowWaitSec = Math.max(maxWindowWaitSec, (wallMs - window.startedMs) / 1000);
      chain.sendTransaction(); // settleJob
      window = undefined;
    }
    if (o.clock && t % 500 === 0) await clock.check();
    maxLeadSec = Math.max(maxLeadSec, chain.ts - wallMs / 1000);
  }
  return { maxLeadSec, windows, maxWindowWaitSec, catchUps: clock.state().catchUps };
}

describe('the devnet chain clock', () => {
  it('switches to catch-up at the high water mark and back at the low one', () => {
    let mode: MiningMode = 'normal';
    const seen = [0, 5, 10, 6, 3, 2, 5].map((lead) => (mode = nextMiningMode(mode, lead)));
    expect(seen).toEqual(['normal', 'normal', 'catch-up', 'catch-up', 'catch-up', 'normal', 'normal']);
  });

  it('keeps chain time within 60 s of the wall clock over a long run with a challenge window after every job', async () => {
    const run = await simulate({ clock: true });
    expect(run.windows).toBeGreaterThanOrEqual(89);
    expect(run.maxLeadSec).toBeLessThanOrEqual(60);
    expect(run.catchUps).toBeGreaterThan(0);
    // every window still closes: at most the window plus the time to catch up on the job's burst
    expect(run.maxWindowWaitSec).toBeLessThan(60);
  });

  it('stays within a second of the wall clock when blocks may share a timestamp (the devnet chain)', async () => {
    const run = await simulate({ clock: true, shareTimestamps: true });
    expect(run.maxLeadSec).toBeLessThanOrEqual(1);
    expect(run.catchUps).toBe(0);
    expect(run.maxWindowWaitSec).toBeLessThanOrEqual(6);
  });

  it('reproduces the drift it prevents: without the clock, or with time travel per window, the chain runs away', async () => {
    expect((await simulate({ clock: false })).maxLeadSec).toBeGreaterThan(600);
    expect((await simulate({ clock: true, shareTimestamps: true, oldFastForward: true })).maxLeadSec).toBeGreaterThan(
      1_000,
    );
  });
});
