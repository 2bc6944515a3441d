/**
 * Issue 3 Done-when 3 and issue 4's devnet: `npm start` brings the chain up with every contract deployed, prints the
 * RPC URL and addresses, connects its AIC nodes, and a plain JSON-RPC client (fetch, no library) reads AIC balances.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { afterAll, describe, expect, it } from 'vitest';

const ROOT = join(import.meta.dirname, '..', '..', '..', '..');

/** Starts the devnet exactly as `npm start` does (free port, temp data dir) and collects its output lines. */
function startDevnet(dataDir: string): { child: ChildProcess; lines: string[]; ready: Promise<string> } {
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', 'apps/devnet/src/main.ts', '--port', '0', '--data-dir', dataDir],
    {
      cwd: ROOT,
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  const lines: string[] = [];
  const ready = new Promise<string>((resolve, reject) => {
    createInterface({ input: child.stdout! }).on('line', (line) => {
      lines.push(line);
      const match = /ready in .* RPC (http:\/\/127\.0\.0\.1:\d+)/.exec(line);
      if (match) resolve(match[1]!);
    });
    child.stderr!.on('data', (d) => lines.push(String(d)));
    child.on('exit', (code) => reject(new Error(`devnet exited early (${code}):\n${lines.join('\n')}`)));
  });
  return { child, lines, ready };
}

async function rpc(url: string, method: string, params: unknown[]): Promise<string> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ jsonrpc: '2.0', id: 1, method, params }),
  });
  const body = (await response.json()) as { result?: string; error?: unknown };
  if (body.result === undefined) throw new Error(`${method} failed: ${JSON.stringify(body.error)}`);
  return body.result;
}

describe('npm start (devnet)', () => {
  let devnet: ReturnType<typeof startDevnet> | undefined;
  afterAll(() => {
    devnet?.child.kill('SIGKILL');
  });

  it('deploys every contract, prints addresses, connects 7 nodes, and serves balances over plain JSON-RPC', async () => {
    devnet = startDevnet(await mkdtemp(join(tmpdir(), 'aic-devnet-')));
    const rpcUrl = await devnet.ready;
    const output = devnet.lines.join('\n');
    for (const name of ['AICToken', 'RewardsPool', 'AssetRegistry', 'Payroll', 'Plaza', 'ComputeMarket']) {
      expect(output).toMatch(new RegExp(`${name}\\s+0x[0-9a-fA-F]{40}`));
    }
    expect(output).toContain('7 nodes connected over libp2p');
    const token = /AICToken\s+(0x[0-9a-fA-F]{40})/.exec(output)![1]!;
    // The data owner's balance: the demo job credits its fees (pull payments) without moving its AIC balance.
    const dataOwner = /data owner\s+(0x[0-9a-fA-F]{40})/.exec(output)![1]!;
    // balanceOf(address) = 0x70a08231 + the address left-padded to 32 bytes
    const data = `0x70a08231${dataOwner.slice(2).toLowerCase().padStart(64, '0')}`;
    const balance = BigInt(await rpc(rpcUrl, 'eth_call', [{ to: token, data }, 'latest']));
    expect(balance).toBe(1_000_000n * 10n ** 18n);
    const supply = BigInt(await rpc(rpcUrl, 'eth_call', [{ to: token, data: '0x18160ddd' }, 'latest']));
    expect(supply).toBe(10_000_000_000n * 10n ** 18n);

    const exited = new Promise<number | null>((resolve) => devnet!.child.on('exit', resolve));
    devnet.child.kill('SIGTERM');
    expect(await exited).toBe(0);
  });
});
