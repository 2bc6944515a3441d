/**
 * Issue 18, done-when 2: the soak with real processes (apps/devnet/src/soak.ts). It runs 9 node processes and 20
 * jobs for many minutes on 2 cores, too long for `npm test`: it runs only with AIC_SOAK=1
 * (`AIC_SOAK=1 npx vitest run apps/devnet/test/fault/soak.test.ts`); `npm run bench -- soak` prints the same figures.
 * `AIC_SOAK_JOBS=6` runs a shorter soak at the same fault rates. Not in `npm test` even short: on this shared 2-core
 * machine the 9 nodes and the chain alone took 5 min to start (load 20–25), and 20 jobs 28 min at load 50–75.
 */
import { describe, expect, it } from 'vitest';
import { runSoak } from '../../src/soak.ts';

const JOBS = Number(process.env.AIC_SOAK_JOBS ?? 20);

describe.skipIf(process.env.AIC_SOAK !== '1')('the devnet soak', () => {
  it(`settles ${JOBS} concurrent jobs from 3 requesters exactly once with 10 % of RPC requests failing and 1 checkpoint stream in 10 cut, losing no AIC`, {
    timeout: 40 * 60_000,
  }, async () => {
    const lines: string[] = [];
    const r = await runSoak({
      jobs: JOBS,
      rpcFailureRate: 0.1,
      checkpointCutEvery: 10,
      timeoutMs: 30 * 60_000,
      log: (l) => lines.push(l),
    });
    const context = [...lines, JSON.stringify({ ...r, conservationDeltaWei: String(r.conservationDeltaWei) })].join(
      '\n',
    );
    expect(r.rpcFaults, context).toBeGreaterThan(0);
    expect(r.submitted, context).toBe(JOBS);
    expect(r.duplicateJobIds, context).toBe(0);
    expect(r.escrowed, context).toBe(JOBS);
    expect(r.settled, context).toBe(JOBS);
    expect(r.settledTwice, context).toBe(0);
    expect(r.resultErrors, context).toEqual([]);
    expect(r.conservationDeltaWei, context).toBe(0n);
    expect(r.nodeExits, context).toBe(0);
  });
});
