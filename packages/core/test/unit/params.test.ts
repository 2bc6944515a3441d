import { describe, expect, it } from 'vitest';
import { isAicError } from '../../src/errors/index.ts';
import { DEFAULT_PRESET, PRESET_NAMES, PRESETS, presetOf } from '../../src/params/index.ts';

describe('parameter presets', () => {
  it('names every preset after itself and finds it by name', () => {
    for (const name of PRESET_NAMES) {
      expect(PRESETS[name].name).toBe(name);
      expect(presetOf(name)).toBe(PRESETS[name]);
    }
    expect(DEFAULT_PRESET).toBe(PRESETS.devnet);
  });

  it('refuses an unknown preset with a typed error that lists the known ones', () => {
    let error: unknown;
    try {
      presetOf('moon');
    } catch (e) {
      error = e;
    }
    expect(isAicError(error, 'PARAMS_PRESET_UNKNOWN')).toBe(true);
    expect((error as { details: unknown }).details).toEqual({ known: ['minimal', 'devnet', 'mainnet'] });
  });

  it('stakes at least the class minimum of its own contracts by default', () => {
    for (const p of Object.values(PRESETS)) {
      const minimum = Number(p.contracts.minStakeByClassAic[p.provider.hwClass]);
      expect(Number(p.provider.stakeAic), p.name).toBeGreaterThanOrEqual(minimum);
    }
  });

  it('orders the presets by patience: windows and liveness grace never shrink from devnet to mainnet', () => {
    const { devnet, mainnet } = PRESETS;
    expect(mainnet.contracts.challengeWindowSec).toBeGreaterThan(devnet.contracts.challengeWindowSec);
    expect(mainnet.contracts.verifyWindowSec).toBeGreaterThan(devnet.contracts.verifyWindowSec);
    expect(mainnet.coordinator.livenessGraceMs).toBeGreaterThan(devnet.coordinator.livenessGraceMs);
    // a provider's restart (~6 s on the devnet) must fit in mainnet's grace
    expect(mainnet.coordinator.livenessGraceMs).toBeGreaterThanOrEqual(10_000);
  });

  it('is plain data (JSON round-trips it unchanged)', () => {
    const json = JSON.stringify(PRESETS);
    expect(JSON.parse(json)).toEqual(PRESETS); // plain data, no functions or bigints
  });
});
