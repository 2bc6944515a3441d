import { isAicError } from '@aic/core';
import { PRESETS } from '@aic/core/params';
import { describe, expect, it } from 'vitest';
import { flagsOfCommand, resolveNodeFlags, runOptionsOf } from '../../src/flags.ts';

describe('--target-peers', () => {
  it("defaults to the preset's connection target and passes a set value on", () => {
    expect(runOptionsOf(resolveNodeFlags({ preset: 'devnet' }), 'pw').targetPeers).toBe(
      PRESETS.devnet.node.targetPeers,
    );
    expect(runOptionsOf(resolveNodeFlags({ preset: 'minimal' }), 'pw').targetPeers).toBe(8);
    expect(runOptionsOf(resolveNodeFlags({ 'target-peers': '3' }), 'pw').targetPeers).toBe(3);
    expect(runOptionsOf(resolveNodeFlags({ 'target-peers': '0' }), 'pw').targetPeers).toBe(0);
    expect(flagsOfCommand('node')).toContain('target-peers');
  });

  it('refuses a value that is not a count with a typed error naming the flag', () => {
    for (const raw of ['-1', 'many', '1001']) {
      const error = (() => {
        try {
          resolveNodeFlags({ 'target-peers': raw });
        } catch (e) {
          return e;
        }
      })();
      expect(isAicError(error, 'CLI_INVALID_ARGUMENT')).toBe(true);
      expect((error as Error).message).toContain('--target-peers');
    }
  });
});
