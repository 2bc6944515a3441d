/**
 * Issue 18: when only the devnet's main process got a signal, nodes still starting were left running (their start
 * took no AbortSignal, and the signal handlers were installed only once every node was ready). The real devnet: a
 * chain and node processes on 127.0.0.1; the nodes are found by their data directory in /proc.
 */
import { spawn } from 'node:child_process';
import { mkdtemp, readdir, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = join(import.meta.dirname, '..', '..', '..', '..');

/** Pids of the processes whose command line names `dataDir` (the devnet's node processes). */
async function processesUsing(dataDir: string): Promise<number[]> {
  const pids: number[] = [];
  for (const entry of await readdir('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const cmdline = await readFile(`/proc/${entry}/cmdline`, 'utf8').catch(() => '');
    if (cmdline.includes(dataDir) && !cmdline.includes('apps/devnet/src/main.ts')) pids.push(Number(entry));
  }
  return pids;
}

describe('a devnet stopped while its nodes start', () => {
  it('leaves no node process running and exits 0', { timeout: 420_000 }, async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'aic-stop-starting-'));
    const child = spawn(
      process.execPath,
      [
        '--import',
        'tsx',
        'apps/devnet/src/main.ts',
        '--port',
        '0',
        '--data-dir',
        dataDir,
        '--nodes',
        '3',
        '--no-demo-job',
      ],
      { cwd: ROOT, stdio: ['ignore', 'pipe', 'inherit'] },
    );
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    let output = '';
    child.stdout?.on('data', (chunk: Buffer) => {
      output += chunk.toString();
    });
    try {
      // Polls the process table until the first node process exists (it is starting, not yet ready).
      let nodes: number[] = [];
      while (nodes.length === 0) {
        if (child.exitCode !== null) throw new Error(`devnet exited early:\n${output}`);
        nodes = await processesUsing(dataDir);
        if (nodes.length === 0) await new Promise((r) => setTimeout(r, 100));
      }
      expect(output).not.toMatch(/ready in/);
      child.kill('SIGTERM');
      expect(await exited).toBe(0);
      expect(await processesUsing(dataDir)).toEqual([]);
    } finally {
      child.kill('SIGKILL');
      for (const pid of await processesUsing(dataDir)) process.kill(pid, 'SIGKILL');
    }
  });
});
