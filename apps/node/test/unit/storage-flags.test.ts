import { isAicError } from '@aic/core';
import { presetOf } from '@aic/core/params';
import { describe, expect, it } from 'vitest';
import { resolveNodeFlags, runOptionsOf } from '../../src/flags.ts';

const env = { AIC_DATA_DIR: '/data/aic' };

describe('the Storage Vessel flags', () => {
  it('start the --storage role with the preset defaults, and always give the owner side its settings', () => {
    const minimal = presetOf('minimal');
    const off = runOptionsOf(resolveNodeFlags({ preset: 'minimal' }, { env }), 'pw', env);
    expect(off.storage).toEqual({ owner: minimal.storage });
    const on = runOptionsOf(
      resolveNodeFlags({ preset: 'minimal', storage: true, 'storage-capacity-mib': '64' }, { env }),
      'pw',
      env,
    );
    expect(on.storage?.role).toEqual({
      capacityMiB: 64,
      priceAicPerMiBEpoch: minimal.storage.priceAicPerMiBEpoch,
      maxCollateralAic: minimal.storage.maxCollateralAic,
      answerIntervalMs: minimal.storage.answerIntervalMs,
      collectIntervalMs: minimal.storage.collectIntervalMs,
    });
  });

  it('refuse a capacity or price that is not a number', () => {
    for (const raw of [{ 'storage-capacity-mib': '0' }, { 'storage-price-aic-per-mib-epoch': 'cheap' }]) {
      try {
        resolveNodeFlags(raw, { env });
        throw new Error('accepted');
      } catch (error) {
        expect(isAicError(error) && error.code).toBe('CLI_INVALID_ARGUMENT');
      }
    }
  });
});
