import { isAicError } from '@aic/core';
import { PRESETS } from '@aic/core/params';
import { describe, expect, it } from 'vitest';
import {
  flagsOfCommand,
  NODE_FLAG_NAMES,
  parseArgsOptions,
  type RawNodeFlags,
  resolveNodeFlags,
  runOptionsOf,
} from '../../src/flags.ts';

const env = { AIC_DATA_DIR: '/data/aic' };
const resolve = (raw: RawNodeFlags) => resolveNodeFlags(raw, { env });

function refusal(raw: RawNodeFlags): { code: string; message: string; flag: unknown } {
  try {
    resolve(raw);
  } catch (error) {
    if (!isAicError(error)) throw error;
    return { code: error.code, message: error.message, flag: (error.details as { flag?: unknown }).flag };
  }
  throw new Error(`accepted ${JSON.stringify(raw)}`);
}

describe('the node flag table', () => {
  it('takes every default from the chosen preset', () => {
    for (const preset of Object.values(PRESETS)) {
      const v = resolve({ preset: preset.name });
      expect(v['api-port']).toBe(preset.node.apiPort);
      expect(v.listen).toEqual(preset.node.listen);
      expect(v['republish-interval-ms']).toBe(preset.node.republishIntervalMs);
      expect(v['stake-aic']).toBe(preset.provider.stakeAic);
      expect(v['worker-memory-mib']).toBe(preset.worker.memoryMiB);
      expect(v['liveness-grace-ms']).toBe(preset.coordinator.livenessGraceMs);
    }
    expect(resolve({}).preset).toBe('devnet');
    expect(resolve({ preset: 'mainnet' })['liveness-grace-ms']).toBe(30_000);
    expect(resolve({})['data-dir']).toBe('/data/aic');
  });

  it('lets a flag override its preset default', () => {
    const v = resolve({ preset: 'mainnet', 'api-port': '0', 'stake-aic': '1500.5', bootstrap: ['/ip4/1.2.3.4/tcp/1'] });
    expect(v['api-port']).toBe(0);
    expect(v['stake-aic']).toBe('1500.5');
    expect(v.bootstrap).toEqual(['/ip4/1.2.3.4/tcp/1']);
  });

  it.each([
    ['preset', 'moon'],
    ['api-port', '65536'],
    ['api-port', '7e3'],
    ['hw-class', '5'],
    ['stake-aic', '-1'],
    ['price-aic-per-hour', 'lots'],
    ['worker-memory-mib', '10'],
    ['worker-timeout-ms', 'soon'],
    ['liveness-grace-ms', '50'],
    ['canary-interval-ms', '99'],
    ['log-level', 'loud'],
    ['log-format', 'xml'],
  ] as const)('refuses --%s %s with a typed error naming the flag', (flag, value) => {
    const r = refusal({ [flag]: value });
    expect(r.code).toBe('CLI_INVALID_ARGUMENT');
    expect(r.flag).toBe(`--${flag}`);
    expect(r.message).toMatch(new RegExp(`^--${flag} must be `));
  });

  it('echoes at most 40 characters of a bad value', () => {
    const r = refusal({ 'api-port': '9'.repeat(500) });
    expect(r.message.length).toBeLessThan(120);
  });

  it('maps flags to the node run options and job roles', () => {
    const v = resolve({ provider: true, coordinator: true, 'hw-class': '2', 'worker-memory-mib': '1024' });
    const o = runOptionsOf(v, 'pw', {});
    expect(o).toMatchObject({ dataDir: '/data/aic', apiPort: 7700, logFormat: 'json', password: 'pw' });
    expect(o.jobs?.provider).toMatchObject({ hwClass: 2, stakeAic: '500', memoryMiB: 1024, offerTtlSeconds: 30 });
    expect(o.jobs?.coordinator).toEqual({ livenessGraceMs: 3_000, canaryIntervalMs: 0, rechallengeAfterMs: 15_000 });
    expect(o.jobs?.verifier).toBeUndefined();
    // Every node's requester watches its jobs' providers with the same grace (issue 15: it preempts, not a key).
    expect(runOptionsOf(resolve({}), 'pw', {}).jobs).toEqual({ requester: { livenessGraceMs: 3_000 } });
  });

  it('gives parseArgs one option per flag, and the provider command all but the verifier and coordinator ones', () => {
    expect(Object.keys(parseArgsOptions()).sort()).toEqual([...NODE_FLAG_NAMES, 'help'].sort());
    const provider = flagsOfCommand('provider');
    expect(provider).toContain('stake-aic');
    expect(provider).not.toContain('provider');
    expect(provider).not.toContain('coordinator');
    expect(provider).not.toContain('liveness-grace-ms');
  });
});
