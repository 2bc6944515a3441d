/**
 * Issue 18 item 5 (`--nodes 30` failed as a whole when one node missed its start): a node whose start fails is
 * reported with its last output lines and started again, and the devnet comes up. Real node processes on 127.0.0.1.
 */
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { type DevnetNodeEvent, startDevnetNodes } from '../../src/nodes.ts';

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
      const crashed = events.find((e) => e.type === 'crashed');
      expect(crashed).toMatchObject({ type: 'crashed', index: 1 });
      expect(crashed?.type === 'crashed' && crashed.lastLines.join('\n')).toContain('no-such-flag-for-this-test');
      expect(events.some((e) => e.type === 'restarting' && e.index === 1)).toBe(true);
      expect(devnet.nodes.map((n) => n.index)).toEqual([0, 1]);
      expect(devnet.status().map((s) => s.state)).toEqual(['running', 'running']);
    } finally {
      await devnet.stop();
    }
  });
});
