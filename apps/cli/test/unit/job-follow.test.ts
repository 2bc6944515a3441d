import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { noResult } from '../../src/commands/job.ts';
import { createFollowTracker, type FollowedStatus, outcomeOf } from '../../src/commands/job-follow.ts';
import { runCli } from '../../src/program.ts';
import { captureIo } from '../helpers/capture-io.ts';

const A = '0x00000000000000000000000000000000000000aa';
const B = '0x00000000000000000000000000000000000000bb';
const C = '0x00000000000000000000000000000000000000cc';
const NONE = '0x0000000000000000000000000000000000000000';

const status = (over: Partial<FollowedStatus & { checkpointCount: number }> = {}) => ({
  jobId: '7',
  state: 'Running',
  provider: A,
  verifier: NONE,
  resumeFrom: 0,
  checkpointCount: 0,
  commitments: 0,
  retries: 0,
  redraws: 0,
  ...over,
});

describe('following a job: events and outcomes', () => {
  it('reports a verifier redraw, a provider replaced and node retries as they happen', () => {
    const tracker = createFollowTracker();
    expect(tracker.observe(status({ state: 'Committed', verifier: B, step: 9, totalSteps: 9 }), 0)).toEqual([]);
    const redrawn = tracker.observe(status({ state: 'Committed', verifier: C, redraws: 1, step: 9, totalSteps: 9 }), 1);
    expect(redrawn.map((e) => e.event)).toEqual(['redraw']);
    expect(redrawn[0]?.message).toContain('verifier redrawn (1 so far)');
    const moved = tracker.observe(status({ provider: B, resumeFrom: 3, retries: 2, redraws: 1, verifier: C }), 2);
    expect(moved.map((e) => e.event)).toEqual(['retry', 'reassigned']);
    expect(moved[1]?.message).toContain('resuming from checkpoint 3');
  });

  it('says when a job stalls and when it moves again (by itself, or as the node reports it)', () => {
    const tracker = createFollowTracker({ stallAfterMs: 60_000 });
    tracker.observe(status({ step: 5, totalSteps: 10 }), 0);
    expect(tracker.observe(status({ step: 5, totalSteps: 10 }), 59_000)).toEqual([]);
    const stalled = tracker.observe(status({ step: 5, totalSteps: 10 }), 61_000);
    expect(stalled.map((e) => [e.event, e.message])).toEqual([
      ['stalled', 'stalled: nothing has happened for 61 s (Running, step 5/10)'],
    ]);
    expect(tracker.observe(status({ step: 5, totalSteps: 10 }), 70_000)).toEqual([]); // said once
    expect(tracker.observe(status({ step: 6, totalSteps: 10 }), 71_000).map((e) => e.event)).toEqual(['moving']);

    const fromNode = createFollowTracker();
    const told = fromNode.observe(status({ stalledSinceMs: 1_000 }), 31_000);
    expect(told[0]?.message).toBe('stalled: nothing has happened for 30 s (Running)');
  });

  it('ends with a clear outcome: settled, settled on another node, failed with the reason', () => {
    expect(outcomeOf(status())).toBeUndefined();
    expect(outcomeOf(status({ state: 'Settled', commitments: 3 }))).toBeUndefined(); // minting still to come
    expect(outcomeOf(status({ state: 'Settled', commitments: 3, trainedAssetId: '9' }))).toMatchObject({
      kind: 'settled',
    });
    expect(outcomeOf(status({ state: 'Settled' }))?.kind).toBe('settled-elsewhere');
    expect(outcomeOf(status({ state: 'Slashed' }))).toMatchObject({ kind: 'failed', code: 'JOB_FAILED' });
    expect(outcomeOf(status({ state: 'Slashed' }))?.message).toMatch(/failed: Slashed: a verifier proved/);
    expect(outcomeOf(status({ state: 'Settled', resultError: 'fetch failed' }))).toMatchObject({
      code: 'JOB_RESULT_FAILED',
      reason: 'fetch failed',
    });
  });

  it('says where a settled job’s result lives when this node is not its requester', () => {
    const foreign = noResult({ ...status({ state: 'Settled' }) }, 'http://127.0.0.1:7701');
    expect(foreign.code).toBe('JOB_RESULT_ELSEWHERE');
    expect(foreign.message).toContain("its result lives on the requester's node, not on http://127.0.0.1:7701");
    expect(noResult(status({ state: 'Running' }), 'x').message).toBe('job #7 is Running: not settled yet, no result');
    expect(noResult(status({ state: 'Settled', commitments: 2 }), 'x').code).toBe('JOB_NOT_SETTLED');
  });
});

describe('aic job status --follow against a node API', () => {
  let server: Server | undefined;
  // The CLI loads the API client on its first request; load it once here, outside the tests' time limit.
  beforeAll(() => import('@aic/node/api'), 120_000);
  afterEach(() => new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve())));

  /** A node API that answers /v1/jobs/status with the given statuses in turn (the last one repeats). */
  async function fakeNode(statuses: object[]): Promise<string> {
    let served = 0;
    const node = createServer((req, res) => {
      const body = req.url?.startsWith('/v1/jobs/status')
        ? statuses[Math.min(served++, statuses.length - 1)]
        : { code: 'API_NOT_FOUND', message: 'no', details: {} };
      res.writeHead(req.url?.startsWith('/v1/jobs/status') ? 200 : 404, { 'content-type': 'application/json' });
      res.end(JSON.stringify(body));
    });
    server = node;
    await new Promise<void>((resolve) => node.listen(0, '127.0.0.1', resolve));
    return `http://127.0.0.1:${(node.address() as AddressInfo).port}`;
  }

  it('prints the redraw as it happens and ends on the settlement', async () => {
    const api = await fakeNode([
      status({ state: 'Committed', verifier: B, commitments: 3, step: 9, totalSteps: 9 }),
      status({ state: 'Committed', verifier: C, redraws: 1, commitments: 3, step: 9, totalSteps: 9 }),
      status({
        state: 'Settled',
        verifier: C,
        redraws: 1,
        commitments: 3,
        step: 9,
        totalSteps: 9,
        trainedAssetId: '4',
      }),
    ]);
    const { io, out, err } = captureIo();
    expect(await runCli(['--api', api, 'job', 'status', '7', '--follow', '--timeout', '60'], io)).toBe(0);
    expect(err()).toBe('');
    expect(out()).toMatch(/#7 {2}verifier redrawn \(1 so far\)/);
    expect(out()).toContain('job #7 settled: TrainedAI #4');
  });

  it('keeps following while the node does not answer, and says so', async () => {
    let served = 0;
    const node = createServer((req, res) => {
      served++;
      if (served === 2) return req.socket.destroy(); // the node goes away for a moment
      const body = served === 1 ? status() : status({ state: 'Settled', commitments: 3, trainedAssetId: '5' });
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify(body));
    });
    server = node;
    await new Promise<void>((resolve) => node.listen(0, '127.0.0.1', resolve));
    const api = `http://127.0.0.1:${(node.address() as AddressInfo).port}`;
    const { io, out, err } = captureIo();
    expect(await runCli(['--api', api, 'job', 'status', '7', '--follow', '--timeout', '60'], io)).toBe(0);
    expect(err()).toBe('');
    expect(out()).toContain(`the node at ${api} does not answer; still trying until --timeout`);
    expect(out()).toMatch(/the node answers again \(after \d+ s\)/);
    expect(out()).toContain('job #7 settled: TrainedAI #5');
  });

  it('fails with the reason when the job fails', async () => {
    const api = await fakeNode([status(), status({ state: 'Expired' })]);
    const { io, err } = captureIo();
    expect(await runCli(['--api', api, 'job', 'status', '7', '--follow'], io)).toBe(1);
    expect(err()).toMatch(/^JOB_FAILED: job #7 failed: Expired: its deadline passed/);
  });

  it('stops at --timeout with exit code 1, saying it timed out and what the last state was', async () => {
    const api = await fakeNode([status({ step: 3, totalSteps: 10, retries: 2 })]);
    const { io, out, err } = captureIo();
    const started = Date.now();
    expect(await runCli(['--json', '--api', api, 'job', 'status', '7', '--follow', '--timeout', '1'], io)).toBe(1);
    expect(Date.now() - started).toBeLessThan(5_000);
    expect(err()).toMatch(
      /^JOB_FOLLOW_TIMEOUT: timed out after \d+ s \(--timeout 1\) following job #7: last state Running, step 3\/10; (\d+ redraws, 2 retries, )?last change \d+ s ago\n$/,
    );
    const lines = out()
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(lines[0]).toMatchObject({ jobId: '7', state: 'Running', step: 3 });
    expect(lines.at(-1)).toMatchObject({ error: { code: 'JOB_FOLLOW_TIMEOUT' } });
  });
});
