/**
 * Issue 19, done-when 2: the requester's node is killed (SIGKILL) and started again on its data directory at three
 * points of a job — right after the escrow, during training, after the provider's commitment — and each job still
 * settles exactly once, its TrainedAI is minted exactly once, and no payment is duplicated (every AIC that moved is
 * accounted for, and the providers got exactly the quoted price). One devnet, three jobs in turn; then every node is
 * stopped and each process ends on its own (issue 19, done-when 1: no process.exit), with exit code 0.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type JobNetwork, startJobNetwork } from '../../src/job-network.ts';
import { type KillPoint, runJobKillingRequester } from '../helpers/requester-restart.ts';

const CASES: { point: KillPoint; template: 'iris' | 'mnist'; epochs: number; commitEverySteps: number }[] = [
  { point: 'after-escrow', template: 'iris', epochs: 5, commitEverySteps: 2 },
  { point: 'during-training', template: 'mnist', epochs: 1, commitEverySteps: 10 },
  { point: 'after-commitment', template: 'iris', epochs: 5, commitEverySteps: 2 },
];

describe('a requester killed and restarted mid-job', () => {
  let net: JobNetwork | undefined;
  // Started once for the three jobs, outside their timeouts (7 node processes take minutes on a busy machine).
  beforeAll(async () => {
    net = await startJobNetwork();
  }, 300_000);
  afterAll(async () => {
    await net?.close();
  });

  for (const c of CASES) {
    it(`killed ${c.point}: settles once, mints once, pays once`, { timeout: 420_000 }, async () => {
      const n = net!;
      const context = () =>
        n.lines
          .filter((l) => /"index":0,|failed|retrying|error|recovered|re-reporting|missed/.test(l))
          .slice(-60)
          .map((l) => l.slice(0, 300))
          .join('\n');
      const job = await runJobKillingRequester(n, { ...c, timeoutMs: 300_000 }).catch((error: unknown) => {
        throw new Error(`${error instanceof Error ? error.message : String(error)}\n${context()}`);
      });
      if (c.point === 'after-escrow') expect(job.killedAt, context()).toBe('Escrowed');
      if (c.point === 'during-training') expect(job.killedAt, context()).toBe('Running');
      if (c.point === 'after-commitment') expect(['Committed', 'Verifying']).toContain(job.killedAt);
      expect(job.finalState, context()).toBe('Settled');
      expect(job.committed, context()).toBe(1);
      expect(job.settled, context()).toBe(1);
      expect(job.minted, context()).toBe(1);
      expect(job.trainedAssetId).toBeDefined();
      // No AIC created or lost, and the providers together got exactly the quoted price (once).
      const deltas = [...job.deltas.entries()];
      expect(deltas.reduce((sum, [, d]) => sum + d, 0n)).toBe(0n);
      const providers = n.nodes.filter((x) => x.role === 'gpu-provider').map((x) => x.address.toLowerCase());
      const paid = deltas.filter(([a]) => providers.includes(a.toLowerCase())).reduce((sum, [, d]) => sum + d, 0n);
      expect(paid, context()).toBe(job.quote.providerWei);
    });
  }

  it('then every node stops on its own, with exit code 0, without being forced', { timeout: 120_000 }, async () => {
    const n = net;
    if (!n) return;
    const started = Date.now();
    await n.stop();
    const stopMs = Date.now() - started;
    const exits = n.lines.flatMap((l) => {
      try {
        return [JSON.parse(l) as { type?: string; index?: number; code?: number | null }];
      } catch {
        return []; // the chain's own lines
      }
    });
    const last = new Map<number, number | null | undefined>();
    for (const e of exits) if (e.type === 'exited' && e.index !== undefined) last.set(e.index, e.code);
    expect([...last.keys()].sort(), n.lines.filter((l) => l.includes('NODE_EXIT_HELD')).join('\n')).toHaveLength(
      n.nodes.length,
    );
    expect([...last.values()].every((code) => code === 0)).toBe(true);
    // Each role waits at most 5 s for its work and the API 3 s: far less than the ~90 s a straggling timer held.
    expect(stopMs).toBeLessThan(30_000);
    expect(n.lines.some((l) => l.includes('NODE_EXIT_HELD'))).toBe(false);
  });
});
