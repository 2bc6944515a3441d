import { isAicError } from '@aic/core';
import { presetOf } from '@aic/core/params';
import { describe, expect, it } from 'vitest';
import { resolveNodeFlags, runOptionsOf } from '../../src/flags.ts';
import { createSwitchingHandlers } from '../../src/jobs/switching-handlers.ts';
import { switchingStatusSchema } from '../../src/jobs/switching-schemas.ts';

const env = { AIC_DATA_DIR: '/data/aic' };
const providerOf = (raw: Parameters<typeof resolveNodeFlags>[0]) =>
  runOptionsOf(resolveNodeFlags({ preset: 'minimal', provider: true, ...raw }, { env }), 'pw', env).jobs?.provider;

describe('the multi-task switching flags', () => {
  it('configure the miner of the provider role, the rest of its settings from the preset', () => {
    const mining = presetOf('minimal').mining;
    expect(providerOf({})?.mining).toBeUndefined();
    const on = providerOf({
      'mining-command': '/usr/bin/miner',
      'mining-arg': ['--pool', 'x'],
      'mining-suspend': 'stop',
      'mining-owner-threshold': '25',
      'mining-min-dwell-ms': '0',
    });
    expect(on?.mining).toEqual({
      command: '/usr/bin/miner',
      args: ['--pool', 'x'],
      suspend: 'stop',
      ownerThresholdPercent: 25,
      minDwellMs: 0,
      suspendTimeoutMs: mining.suspendTimeoutMs,
      sampleIntervalMs: mining.sampleIntervalMs,
      restartBaseMs: mining.restartBaseMs,
      restartMaxMs: mining.restartMaxMs,
    });
    expect(providerOf({ 'mining-command': 'miner' })?.mining).toMatchObject({
      args: [],
      suspend: mining.suspend,
      ownerThresholdPercent: mining.ownerThresholdPercent,
      minDwellMs: mining.minDwellMs,
    });
  });

  it.each([
    ['mining-suspend', 'pause'],
    ['mining-owner-threshold', '0'],
    ['mining-owner-threshold', '101'],
    ['mining-min-dwell-ms', '50'],
    ['mining-command', ''],
  ] as const)('refuse --%s %s', (flag, value) => {
    try {
      resolveNodeFlags({ [flag]: value }, { env });
      throw new Error('accepted');
    } catch (error) {
      expect(isAicError(error) && error.code).toBe('CLI_INVALID_ARGUMENT');
      expect(isAicError(error) && error.details).toEqual({ flag: `--${flag}` });
    }
  });

  it('report switching off on a node without a miner, in the shape the client parses', async () => {
    const body = await createSwitchingHandlers(() => undefined).providerSwitching({
      body: undefined,
      query: undefined,
    });
    expect(body).toEqual({ enabled: false });
    expect(switchingStatusSchema.parse(body)).toEqual({ enabled: false });
  });
});
