import { isAicError } from '@aic/core';
import { PRESETS } from '@aic/core/params';
import { describe, expect, it } from 'vitest';
import { FAULT_ENV, flagsOfCommand, resolveNodeFlags, runOptionsOf } from '../../src/flags.ts';

describe('--rater', () => {
  it('runs no rater by default; --rater takes its stake and poll interval from the preset', () => {
    expect(runOptionsOf(resolveNodeFlags({ preset: 'devnet' }), 'pw', {}).rater).toBeUndefined();
    expect(runOptionsOf(resolveNodeFlags({ preset: 'devnet', rater: true }), 'pw', {}).rater).toEqual({
      stakeAic: PRESETS.devnet.rater.stakeAic,
      pollIntervalMs: PRESETS.devnet.rater.pollIntervalMs,
      lie: false,
    });
    const staked = runOptionsOf(resolveNodeFlags({ rater: true, 'rater-stake-aic': '250' }), 'pw', {});
    expect(staked.rater?.stakeAic).toBe('250');
    expect(flagsOfCommand('node')).toEqual(expect.arrayContaining(['rater', 'rater-stake-aic']));
  });

  it('lies only under the test-only fault variable, and refuses a stake that is not an amount', () => {
    const env = { [FAULT_ENV.wrongScores]: '1' };
    expect(runOptionsOf(resolveNodeFlags({ rater: true }), 'pw', env).rater?.lie).toBe(true);
    const error = (() => {
      try {
        resolveNodeFlags({ rater: true, 'rater-stake-aic': 'lots' });
      } catch (e) {
        return e;
      }
    })();
    expect(isAicError(error, 'CLI_INVALID_ARGUMENT')).toBe(true);
  });
});
