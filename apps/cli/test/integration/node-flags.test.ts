import { execFile } from 'node:child_process';
import { NODE_MAIN } from '@aic/node/spawn';
import { describe, expect, it } from 'vitest';
import { runCli } from '../../src/program.ts';
import { captureIo } from '../helpers/capture-io.ts';

/** The flags a usage text lists: one per option line (`  --name …` or `  -h, --name …`). */
const flagsIn = (usage: string) =>
  new Set([...usage.matchAll(/^\s+(?:-[a-zA-Z], )?--([a-z][a-z0-9-]*)/gm)].map((m) => m[1]));

async function aicHelp(argv: string[]): Promise<string> {
  const { io, out } = captureIo();
  expect(await runCli(argv, io)).toBe(0);
  return out();
}

/** The bare node entry's --help, as the devnet spawns it (a real process). */
function nodeEntryHelp(): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(process.execPath, ['--import', 'tsx', NODE_MAIN, '--help'], { timeout: 60_000 }, (error, stdout) =>
      error ? reject(error) : resolve(stdout),
    );
  });
}

describe('one flag table for the node entry and aic', () => {
  it('`aic node start` takes exactly the flags of the node entry (data-dir as aic’s global option)', async () => {
    const entry = flagsIn(await nodeEntryHelp());
    const start = flagsIn(await aicHelp(['node', 'start', '--help']));
    const global = flagsIn(await aicHelp(['--help']));
    expect(entry.size).toBeGreaterThan(20);
    expect(global.has('data-dir')).toBe(true);
    expect(start.has('data-dir')).toBe(false);
    expect([...start, 'data-dir'].sort()).toEqual([...entry].sort());
  });

  it('`aic provider start` takes the node entry’s flags but the verifier’s and coordinator’s, and implies --provider', async () => {
    const entry = flagsIn(await nodeEntryHelp());
    const provider = flagsIn(await aicHelp(['provider', 'start', '--help']));
    for (const flag of provider) expect(entry.has(flag), flag).toBe(true);
    for (const absent of ['provider', 'verifier', 'coordinator', 'liveness-grace-ms', 'canary-interval-ms']) {
      expect(provider.has(absent), absent).toBe(false);
    }
    for (const present of ['stake-aic', 'hw-class', 'worker-memory-mib', 'rpc-url', 'bootstrap', 'preset']) {
      expect(provider.has(present), present).toBe(true);
    }
  });

  it('answers a bad value with one typed line naming the flag, in the node entry and in aic alike', async () => {
    const entry = await new Promise<{ code: number | null; stderr: string }>((resolve) => {
      const child = execFile(
        process.execPath,
        ['--import', 'tsx', NODE_MAIN, '--worker-memory-mib', '10'],
        (_, __, stderr) => resolve({ code: child.exitCode, stderr }),
      );
    });
    const { io, err } = captureIo({ AIC_PASSWORD: 'unused' });
    const code = await runCli(['node', 'start', '--worker-memory-mib', '10'], io);
    expect(entry.code).toBe(2);
    expect(code).toBe(2);
    expect(entry.stderr.trim()).toBe(err().trim());
    expect(err().trim()).toMatch(/^CLI_INVALID_ARGUMENT: --worker-memory-mib must be an integer in 100\.\./);
  });
});
