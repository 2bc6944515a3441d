/**
 * Issue 18 item 5 (`--nodes 30` failed as a whole when one node missed its start): a node whose start fails is
 * reported with its last output lines and started again, and the devnet comes up. Real node processes on 127.0.0.1.
 */
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { type DevnetNodeEvent, formatDevnetEvent, startDevnetNodes } from '../../src/nodes.ts';

describe('a devnet node whose start fails', () => {
  it('is reported with its last lines, started again, and the devnet comes up', { timeout: 360_000 }, async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'aic-start-retry-'));
    const events: DevnetNodeEvent[] = [];
    let attemptsOfNode1 = 0;
    const devnet = await startDevnetNodes({
      count: 2,
      dataDir,
      demoActivity: false,
      onEvent: (e) => events.push(e),
      // Node 1's first start gets a flag the node refuses (it exits at once); later starts are normal.
      argsOf: (index) => (index === 1 && attemptsOfNode1++ === 0 ? ['--no-such-flag-for-this-test'] : []),
    });
    try {
      const failed = events.filter((e) => e.type === 'start-failed');
      expect(failed).toHaveLength(1);
      expect(failed[0]).toMatchObject({ type: 'start-failed', index: 1, attempt: 1, attempts: 3, retryInMs: 1000 });
      expect(failed[0]?.type === 'start-failed' && failed[0].lastLines.join('\n')).toContain(
        'no-such-flag-for-this-test',
      );
      expect(formatDevnetEvent(failed[0]!)).toMatch(
        /^node 1 \(gpu-provider\) did not start \(attempt 1 of 3, trying again in 1 s\): node process exited/,
      );
      // A failed start is not a crash of a running node (the soak counts those).
      expect(events.some((e) => e.type === 'crashed')).toBe(false);
      expect(devnet.nodes.map((n) => n.index)).toEqual([0, 1]);
      expect(devnet.status().map((s) => s.state)).toEqual(['running', 'running']);
    } finally {
      await devnet.stop();
    }
  });
});
