import { describe, expect, it } from 'vitest';
import { errorOfExit } from '../../src/worker/exit-reason.ts';
import { fakedSegments } from '../../src/worker/fake-segments.ts';
import { childMessageSchema, startMessageSchema } from '../../src/worker/protocol.ts';
import { commitmentSteps, segmentCount } from '../../src/worker/segments.ts';

const hash = `0x${'ab'.repeat(32)}`;

describe('worker IPC schemas', () => {
  it('accept the messages a worker sends, NaN losses included', () => {
    expect(childMessageSchema.parse({ type: 'checkpoint', index: 3, step: 30, hash }).type).toBe('checkpoint');
    const progress = { type: 'progress', step: 1, totalSteps: 9, epoch: 0, loss: Number.NaN };
    expect(childMessageSchema.safeParse(progress).success).toBe(true);
  });

  it('reject what a broken or hostile child could send', () => {
    const bad = [
      { type: 'checkpoint', index: -1, step: 30, hash },
      { type: 'checkpoint', index: 1, step: 30, hash: '0x12' },
      { type: 'checkpoint', index: 1, step: 30, hash, extra: true },
      { type: 'error', code: 'lower case', message: 'x' },
      { type: 'done', steps: 1 },
      { type: 'shell', command: 'rm -rf /' },
      'ready',
      null,
    ];
    for (const message of bad) expect(childMessageSchema.safeParse(message).success).toBe(false);
  });

  it('validate the start message the child receives', () => {
    const start = {
      type: 'start',
      spec: {},
      dataset: { shards: ['/x/shard-0.safetensors'], rows: 9 },
      checkpointDir: '/x',
    };
    expect(startMessageSchema.safeParse({ ...start, resume: true }).success).toBe(true);
    expect(
      startMessageSchema.safeParse({ ...start, resume: true, dataset: { file: '/x/d.safetensors' } }).success,
    ).toBe(true);
    expect(startMessageSchema.safeParse({ ...start, resume: true, dataset: { template: 'evil' } }).success).toBe(false);
    // a template's npm data is no job's data: templates reach jobs as published datasets, like any other
    expect(
      startMessageSchema.safeParse({ ...start, resume: true, dataset: { template: 'iris', split: 'train' } }).success,
    ).toBe(false);
    expect(startMessageSchema.safeParse(start).success).toBe(false);
  });
});

describe('worker exits', () => {
  it('tell a V8 heap exhaustion from another crash', () => {
    const oom = 'FATAL ERROR: Reached heap limit Allocation failed - JavaScript heap out of memory';
    expect(errorOfExit({ exitCode: null, signal: 'SIGABRT', stderrTail: oom }, 64).code).toBe('WORKER_OUT_OF_MEMORY');
    const crash = errorOfExit({ exitCode: 7, signal: null, stderrTail: 'boom' }, 64);
    expect(crash.code).toBe('WORKER_CRASHED');
    expect(crash.details).toMatchObject({ exitCode: 7, signal: null });
  });
});

describe('segments', () => {
  it('list the commitment steps: 0, every K, and the last step', () => {
    expect(commitmentSteps(10, 4)).toEqual([0, 4, 8, 10]);
    expect(commitmentSteps(8, 4)).toEqual([0, 4, 8]);
    expect(segmentCount(10, 4)).toBe(3);
    expect(segmentCount(8, 4)).toBe(2);
  });

  it('fake round(f × S) distinct segments chosen by the seed', () => {
    const a = fakedSegments(100, 0.1, 1);
    expect(a).toHaveLength(10);
    expect(new Set(a).size).toBe(10);
    expect(fakedSegments(100, 0.1, 1)).toEqual(a);
    expect(fakedSegments(100, 0.1, 2)).not.toEqual(a);
    expect(fakedSegments(3, 0.1, 1)).toHaveLength(1);
    expect(fakedSegments(100, 0, 1)).toEqual([]);
  });
});
