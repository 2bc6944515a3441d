import { resolveNodeFlags } from '@aic/node/options';
import { describe, expect, it } from 'vitest';
import { describeHardware, describeProviderStart, providerRoleOf } from '../../src/commands/provider.ts';
import { runCli } from '../../src/program.ts';
import { captureIo } from '../helpers/capture-io.ts';

const chain = ['--rpc-url', 'http://127.0.0.1:8545', '--deployment', 'deployment.json'];

async function usageLine(argv: string[]): Promise<string> {
  const { io, err } = captureIo({ AIC_PASSWORD: 'unused' });
  expect(await runCli(argv, io)).toBe(2);
  const lines = err().trimEnd().split('\n');
  expect(lines).toHaveLength(1);
  expect(lines[0]).toMatch(/^CLI_INVALID_ARGUMENT: \S/);
  return lines[0] ?? '';
}

describe('aic provider start', () => {
  it('needs the chain: --rpc-url and --deployment', async () => {
    expect(await usageLine(['provider', 'start', '--deployment', 'd.json'])).toContain('--rpc-url');
    expect(await usageLine(['provider', 'start', '--rpc-url', 'http://127.0.0.1:8545'])).toContain('--deployment');
  });

  it.each([
    ['--hw-class', '5'],
    ['--stake-aic', 'lots'],
    ['--price-aic-per-hour', '-1'],
    ['--worker-memory-mib', '10'],
    ['--worker-timeout-ms', 'soon'],
  ])('refuses %s %s', async (flag, value) => {
    expect(await usageLine(['provider', 'start', ...chain, flag, value])).toContain(flag);
  });

  it('maps the flags to the node provider role and says what it starts', () => {
    const flags = resolveNodeFlags({
      provider: true,
      'rpc-url': 'http://127.0.0.1:8545',
      deployment: 'd.json',
      'hw-class': '2',
      'stake-aic': '600',
      'price-aic-per-hour': '12.5',
      'worker-memory-mib': '1024',
      'worker-timeout-ms': '60000',
    });
    expect(providerRoleOf(flags)).toEqual({
      hwClass: 2,
      stakeAic: '600',
      priceAicPerHour: '12.5',
      memoryMiB: 1024,
      timeoutMs: 60_000,
      offerTtlSeconds: 30,
      offerRepublishMs: 5_000,
    });
    expect(describeProviderStart(flags)).toMatch(/hardware class 2 .*stake 600 AIC, price 12.5 AIC\/hour/);
  });

  it('names the detected GPUs, or says there is none', () => {
    const cpuOnly = {
      accelerators: [{ kind: 'cpu' as const, model: 'Xeon', memoryBytes: 8 * 2 ** 30, count: 1 }],
      cpu: { model: 'Xeon', cores: 2 },
      memoryBytes: 8 * 2 ** 30,
      backends: ['cpu' as const, 'wasm' as const],
      measured: {},
    };
    expect(describeHardware(cpuOnly)).toBe(
      'hardware detected: no GPU found; CPU Xeon (2 cores), 8.0 GiB RAM; backends cpu, wasm',
    );
    const h100 = { kind: 'nvidia-gpu' as const, model: 'NVIDIA H100', memoryBytes: 80 * 2 ** 30, count: 2 };
    expect(describeHardware({ ...cpuOnly, accelerators: [h100] })).toMatch(
      /^hardware detected: 2 × NVIDIA H100 \(80\.0 GiB\); CPU/,
    );
  });
});
