/** Training yields to the event loop between steps (a verifier re-runs segments inside its node process: a segment
 * that held the loop made the node miss pings, drop its connections and time out its checkpoint prefetch). */
import { describe, expect, it } from 'vitest';
import { irisTemplate, trainJob } from '../../src/index.ts';

const spec = {
  manifest: irisTemplate.manifest,
  backend: 'cpu' as const,
  seed: 3,
  commitEverySteps: 8,
  hyperparameters: { epochs: 2 },
};

describe('trainJob and the event loop', () => {
  it('lets timers and I/O callbacks run between steps, with the same commitments as without yielding often', async () => {
    const { train } = await irisTemplate.loadData();
    let ticks = 0;
    const tickAtStep: number[] = [];
    const tick = () => {
      ticks++;
      if (ticks < 1_000) timer = setImmediate(tick);
    };
    let timer = setImmediate(tick);
    const often = await trainJob(spec, train, {
      yieldEveryMs: 0,
      progressEverySteps: 1,
      onProgress: () => void tickAtStep.push(ticks),
    });
    clearImmediate(timer);
    often.model.dispose();
    // A macrotask ran before the second step's progress (before the change, none ran until training ended).
    expect(tickAtStep[1]).toBeGreaterThan(0);
    expect(tickAtStep.at(-1)).toBeGreaterThanOrEqual(tickAtStep.length - 1);
    const usual = await trainJob(spec, train);
    usual.model.dispose();
    expect(usual.commitmentRoot).toBe(often.commitmentRoot);
  });
});
