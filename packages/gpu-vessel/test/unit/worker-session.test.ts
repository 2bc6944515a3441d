import { commitmentRoot } from '@aic/model-vessel';
import { describe, expect, it } from 'vitest';
import type { WorkerCheckpoint } from '../../src/worker/run-training-worker.ts';
import { WorkerSession } from '../../src/worker/worker-session.ts';

const h = (n: number) => `0x${n.toString(16).padStart(64, '0')}` as `0x${string}`;
const commitments = [0, 1, 2].map((i) => ({ step: i * 10, hash: h(i + 1) }));
const ready = (resumedFrom: { index: number; step: number } | null = null) => ({
  type: 'ready',
  pid: 42,
  heapLimitBytes: 2 ** 28,
  execArgv: [],
  jobDigest: h(9),
  totalSteps: 20,
  segments: 2,
  resumedFrom,
});
const checkpoint = (i: number) => ({ type: 'checkpoint', index: i, ...(commitments[i] as object) });
const done = (over: Record<string, unknown> = {}) => ({
  type: 'done',
  steps: 20,
  totalSteps: 20,
  commitments,
  commitmentRoot: commitmentRoot(commitments),
  resultCid: 'bafy',
  weightsPath: '/w',
  finalLoss: 0.5,
  ...over,
});

describe('the parent’s view of a worker', () => {
  it('accepts a consistent run and hands checkpoints to the handler', () => {
    const seen: WorkerCheckpoint[] = [];
    const session = new WorkerSession({ onCheckpoint: (c) => seen.push(c) });
    for (const m of [ready(), checkpoint(0), checkpoint(1), checkpoint(2)]) expect(session.accept(m)).toBeUndefined();
    expect(session.accept(done())).toMatchObject({
      commitmentRoot: commitmentRoot(commitments),
      heapLimitBytes: 2 ** 28,
    });
    expect(seen.map((c) => c.index)).toEqual([0, 1, 2]);
  });

  it('continues the numbering after a resume', () => {
    const session = new WorkerSession({});
    session.accept(ready({ index: 1, step: 10 }));
    expect(() => session.accept(checkpoint(1))).toThrow(/out of order/);
  });

  const broken: [string, unknown[]][] = [
    ['a message before ready', [checkpoint(0)]],
    ['a skipped checkpoint', [ready(), checkpoint(0), checkpoint(2)]],
    ['a second ready', [ready(), ready()]],
    [
      'a result that contradicts a checkpoint',
      [ready(), checkpoint(0), checkpoint(1), { ...checkpoint(2), hash: h(7) }, done()],
    ],
    [
      'a result with another root',
      [ready(), checkpoint(0), checkpoint(1), checkpoint(2), done({ commitmentRoot: h(5) })],
    ],
    ['a result longer than announced', [ready(), checkpoint(0), done()]],
    ['a malformed message', [ready(), { type: 'progress', step: 'x' }]],
  ];
  for (const [what, messages] of broken) {
    it(`rejects ${what} as WORKER_PROTOCOL_ERROR`, () => {
      const session = new WorkerSession({});
      const run = () => {
        for (const m of messages) session.accept(m);
      };
      expect(run).toThrow(expect.objectContaining({ code: 'WORKER_PROTOCOL_ERROR' }));
    });
  }

  it('raises the child’s own error with its code', () => {
    const session = new WorkerSession({});
    const error = { type: 'error', code: 'JOB_SPEC_INVALID', message: 'seed: too small', details: { issues: [] } };
    expect(() => session.accept(error)).toThrow(expect.objectContaining({ code: 'JOB_SPEC_INVALID' }));
  });
});
