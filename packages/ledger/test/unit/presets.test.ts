import { PRESETS as AIC_PRESETS } from '@aic/core/params';
import { describe, expect, it } from 'vitest';
import { marketParamsSchema, PRESETS } from '../../src/config.ts';

describe('deployment presets', () => {
  it('are the contract parameters of the core presets, valid for a deployment', () => {
    expect(PRESETS.minimal).toEqual(AIC_PRESETS.minimal.contracts);
    expect(PRESETS.devnet).toEqual(AIC_PRESETS.devnet.contracts);
    expect(PRESETS.standard).toEqual(AIC_PRESETS.mainnet.contracts);
    for (const params of Object.values(PRESETS)) expect(marketParamsSchema.safeParse(params).success).toBe(true);
  });

  it('keeps the values the contract tests were written against (minimal: 60 s challenge, 600 s verify window)', () => {
    expect(PRESETS.minimal.challengeWindowSec).toBe(60);
    expect(PRESETS.minimal.verifyWindowSec).toBe(600);
    expect(PRESETS.standard.verifyWindowSec).toBe(21_600);
  });
});
