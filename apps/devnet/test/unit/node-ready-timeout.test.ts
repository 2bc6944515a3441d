/** The devnet's bound on a node's start grows with the machine's load (a node killed while starting restarts from scratch). */
import { describe, expect, it } from 'vitest';
import { NODE_READY_MAX_STRETCH, NODE_READY_TIMEOUT_MS, nodeReadyTimeoutMs } from '../../src/node-ready-timeout.ts';

describe('nodeReadyTimeoutMs', () => {
  it('is the base bound on a machine with up to 10 runnable threads per core', () => {
    expect(nodeReadyTimeoutMs(0, 2)).toBe(NODE_READY_TIMEOUT_MS);
    expect(nodeReadyTimeoutMs(20, 2)).toBe(NODE_READY_TIMEOUT_MS);
  });

  it('grows with the load beyond that (load 60 on 2 cores: 3×) up to its cap', () => {
    expect(nodeReadyTimeoutMs(60, 2)).toBe(3 * NODE_READY_TIMEOUT_MS);
    expect(nodeReadyTimeoutMs(500, 2)).toBe(NODE_READY_MAX_STRETCH * NODE_READY_TIMEOUT_MS);
    expect(nodeReadyTimeoutMs(60, 16)).toBe(NODE_READY_TIMEOUT_MS);
  });
});
