/**
 * Property tests (issue 3, Done-when 1b): random operation sequences across token, registry, PLAZA, Payroll, market and
 * rewards, with the ledger invariants checked after every step and after draining every job.
 * AIC_PROPERTY_RUNS (default 100) × AIC_PROPERTY_OPS (default 100) operations; raise them for a long run.
 */
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { type Fixture, loadFixture } from '../helpers/fixture.ts';
import { checkInvariants, drainAndCheck } from '../helpers/properties/invariants.ts';
import { OP_KINDS, type Op, runOp } from '../helpers/properties/operations.ts';
import { createWorld, type World } from '../helpers/properties/world.ts';

const TRANSITION_EVENTS = [
  'JobCreated',
  'JobEscrowed',
  'JobAssigned',
  'JobStarted',
  'ResultCommitted',
  'VerdictSubmitted',
  'JobDisputed',
  'DisputeResolved',
  'ProviderSlashed',
  'JobSettled',
  'JobPreempted',
  'JobReassigned',
  'JobExpired',
  'JobRefunded',
];
const RUNS = Number(process.env.AIC_PROPERTY_RUNS ?? 100);
const OPS = Number(process.env.AIC_PROPERTY_OPS ?? 100);

/** Market steps are weighted up so that sequences walk the whole job state machine, not just its entry. */
const WEIGHTS: Partial<Record<Op['kind'], number>> = {
  createJob: 3,
  assign: 4,
  start: 2,
  commit: 4,
  verdict: 4,
  resolve: 2,
  settle: 3,
};
const nat = fc.nat(1_000_000);
const opArb: fc.Arbitrary<Op> = fc.oneof(
  ...OP_KINDS.map((kind) => ({
    arbitrary: fc.record({ kind: fc.constant(kind), a: nat, b: nat, c: nat, d: nat }),
    weight: WEIGHTS[kind] ?? 1,
  })),
);

describe('ledger invariants under random operation sequences', () => {
  let f: Fixture;
  let base: World;
  let snapshot: `0x${string}`;

  beforeAll(async () => {
    f = await loadFixture();
    await f.reset();
    base = await createWorld(f);
    snapshot = await f.testClient.snapshot();
  });

  it(
    `hold after every step of ${RUNS} sequences of ${OPS} operations, and nothing is left once all jobs end`,
    async () => {
      const total = { ops: 0, reverted: 0, byKind: {} as Record<string, number>, events: {} as Record<string, number> };
      await fc.assert(
        fc.asyncProperty(fc.array(opArb, { minLength: OPS, maxLength: OPS }), async (ops) => {
          await f.testClient.revert({ id: snapshot });
          snapshot = await f.testClient.snapshot();
          const w: World = {
            ...base,
            assets: [],
            jobs: new Map(),
            jobStates: new Map(),
            dirty: new Set(),
            stats: { ops: 0, reverted: 0, byKind: {}, events: {} },
          };
          for (const [i, op] of ops.entries()) {
            await runOp(w, op);
            await checkInvariants(w, `step ${i} (${op.kind})`);
          }
          await drainAndCheck(w);
          total.ops += w.stats.ops;
          total.reverted += w.stats.reverted;
          for (const [k, n] of Object.entries(w.stats.byKind)) total.byKind[k] = (total.byKind[k] ?? 0) + n;
          for (const [k, n] of Object.entries(w.stats.events)) total.events[k] = (total.events[k] ?? 0) + n;
        }),
        {
          numRuns: RUNS,
          endOnFailure: true,
          ...(process.env.AIC_PROPERTY_SEED ? { seed: Number(process.env.AIC_PROPERTY_SEED) } : {}),
        },
      );
      console.log(`property runs: ${RUNS}, operations: ${total.ops}, refused: ${total.reverted}`, total.events);
      expect(total.ops).toBe(RUNS * OPS);
      // The sequences must actually walk the state machine, not just bounce off it.
      if (RUNS * OPS >= 1_000) {
        for (const event of TRANSITION_EVENTS) expect(total.events[event] ?? 0, `${event} seen`).toBeGreaterThan(0);
      }
      expect(total.ops).toBeGreaterThanOrEqual(Math.min(10_000, RUNS * OPS));
      // A hang guard sized to the work (10,000 EVM operations by default), not a speed assertion: with every tier
      // running at once on 2 cores it took just over the contracts tier's 120 s.
    },
    Math.max(120_000, RUNS * OPS * 60),
  );
});
