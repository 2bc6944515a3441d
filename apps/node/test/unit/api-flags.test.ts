import { aicToWei, isAicError } from '@aic/core';
import { PRESETS } from '@aic/core/params';
import { describe, expect, it } from 'vitest';
import { flagsOfCommand, resolveNodeFlags, runOptionsOf } from '../../src/flags.ts';

describe('API security flags', () => {
  it('takes budget caps from the preset, and 0 means no cap', () => {
    const devnet = runOptionsOf(resolveNodeFlags({ preset: 'devnet' }), 'pw');
    expect(devnet.api?.budget).toEqual({
      perJobWei: aicToWei(PRESETS.devnet.node.budgetPerJobAic),
      perDayWei: aicToWei(PRESETS.devnet.node.budgetPerDayAic),
    });
    const mainnet = runOptionsOf(resolveNodeFlags({ preset: 'mainnet' }), 'pw');
    expect(mainnet.api?.budget?.perJobWei).toBe(aicToWei('200'));
    const set = runOptionsOf(
      resolveNodeFlags({ 'budget-per-job-aic': '12.5', 'budget-per-day-aic': '0', 'api-allow-host': ['node.lan'] }),
      'pw',
    );
    expect(set.api).toEqual({
      allowedHosts: ['node.lan'],
      allowedOrigins: [],
      budget: { perJobWei: aicToWei('12.5'), perDayWei: undefined },
    });
  });

  it('refuses a bad cap with a typed error naming the flag', () => {
    const error = (() => {
      try {
        resolveNodeFlags({ 'budget-per-day-aic': '-1' });
      } catch (e) {
        return e;
      }
    })();
    expect(isAicError(error, 'CLI_INVALID_ARGUMENT')).toBe(true);
    expect((error as Error).message).toContain('--budget-per-day-aic');
  });

  it('puts the API flags on aic node start and aic provider start', () => {
    for (const command of ['node', 'provider'] as const) {
      expect(flagsOfCommand(command)).toEqual(
        expect.arrayContaining(['api-allow-host', 'api-allow-origin', 'budget-per-job-aic', 'budget-per-day-aic']),
      );
    }
  });
});
