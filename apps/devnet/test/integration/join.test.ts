/**
 * Issue 18 items 1 and 7 on a running devnet (`npm start` with no nodes): it prints how to join; a fresh account gets
 * AIC and gas from `aic faucet` and can then sign and send its own transaction through the devnet's RPC; a second
 * request is refused (FAUCET_RATE_LIMITED); and no outside process can spend a dev account or move balances or time.
 */
import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { aicToWei } from '@aic/core';
import { createLedgerClient, parseDeployment } from '@aic/ledger';
import { createPublicClient, createWalletClient, http } from 'viem';
import { generatePrivateKey, privateKeyToAccount } from 'viem/accounts';
import { hardhat } from 'viem/chains';
import { afterAll, describe, expect, it } from 'vitest';

const ROOT = join(import.meta.dirname, '..', '..', '..', '..');
const DEV_ACCOUNT_0 = '0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266';

function aic(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      ['--import', 'tsx', join(ROOT, 'apps/cli/src/main.ts'), ...args],
      { cwd: ROOT },
      (error, stdout, stderr) => resolve({ code: error ? Number(error.code ?? 1) : 0, stdout, stderr }),
    );
  });
}

async function rpc(url: string, method: string, params: unknown[] = []) {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ jsonrpc: '2.0', id: 1, method, params }),
  });
  return (await response.json()) as { result?: unknown; error?: { code: number; message: string } };
}

describe('joining a devnet', () => {
  let child: ChildProcess | undefined;
  afterAll(() => {
    child?.kill('SIGKILL');
  });

  it('prints how to join, funds a fresh account once, and refuses account and test methods', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'aic-join-'));
    child = spawn(
      process.execPath,
      [
        '--import',
        'tsx',
        'apps/devnet/src/main.ts',
        '--nodes',
        '0',
        '--no-demo-job',
        '--port',
        '0',
        '--data-dir',
        dataDir,
      ],
      { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    const lines: string[] = [];
    const rpcUrl = await new Promise<string>((resolve, reject) => {
      createInterface({ input: child!.stdout! }).on('line', (line) => {
        lines.push(line);
        const match = /ready in .* RPC (http:\/\/127\.0\.0\.1:\d+)/.exec(line);
        if (match) resolve(match[1]!);
      });
      child!.stderr!.on('data', (d) => lines.push(String(d)));
      child!.on('exit', (code) => reject(new Error(`devnet exited early (${code}):\n${lines.join('\n')}`)));
    });
    const output = lines.join('\n');
    expect(output).toContain(`RPC URL     ${rpcUrl}`);
    expect(output).toContain(`deployment  ${join(dataDir, 'deployment.json')}`);
    expect(output).toContain(`aic faucet <your address> --devnet-url ${rpcUrl}`);
    expect(output).toMatch(/aic node start --data-dir \S+ --rpc-url http:\/\/127\.0\.0\.1:\d+ --deployment \S+/);

    const deployment = parseDeployment(JSON.parse(await readFile(join(dataDir, 'deployment.json'), 'utf8')));
    const publicClient = createPublicClient({ chain: hardhat, transport: http(rpcUrl, { retryCount: 0 }) });
    const member = privateKeyToAccount(generatePrivateKey());
    const ledger = createLedgerClient({
      publicClient,
      walletClient: createWalletClient({ chain: hardhat, transport: http(rpcUrl, { retryCount: 0 }), account: member }),
      deployment,
    });
    expect(await ledger.balanceOf(member.address)).toBe(0n);

    const funded = await aic(['--json', 'faucet', member.address, '--devnet-url', rpcUrl]);
    expect(funded.code, funded.stderr).toBe(0);
    expect(JSON.parse(funded.stdout)).toMatchObject({ address: member.address, aicWei: aicToWei('1000').toString() });
    expect(await ledger.balanceOf(member.address)).toBe(aicToWei('1000'));
    expect(await publicClient.getBalance({ address: member.address })).toBe(10n ** 18n);

    // The gas is usable: the member signs its own transfer, sent as a raw transaction through the guard.
    const other = privateKeyToAccount(generatePrivateKey()).address;
    await ledger.confirm('transfer', () => ledger.token.write.transfer([other, aicToWei('1')]));
    expect(await ledger.balanceOf(other)).toBe(aicToWei('1'));

    const again = await aic(['faucet', member.address, '--devnet-url', rpcUrl]);
    expect(again.code).toBe(1);
    expect(again.stderr.trim()).toMatch(/^FAUCET_RATE_LIMITED: /);
    expect(await ledger.balanceOf(member.address)).toBe(aicToWei('999'));

    // No outside process spends a dev account, sets a balance or moves the clock.
    const before = await publicClient.getBalance({ address: DEV_ACCOUNT_0 });
    const send = await rpc(rpcUrl, 'eth_sendTransaction', [{ from: DEV_ACCOUNT_0, to: other, value: '0x1' }]);
    expect(send.error?.message).toMatch(/eth_sendTransaction is refused/);
    const setBalance = await rpc(rpcUrl, 'hardhat_setBalance', [other, '0xffffffffffff']);
    expect(setBalance.error?.code).toBe(-32601);
    expect((await rpc(rpcUrl, 'evm_increaseTime', [3_600])).error?.code).toBe(-32601);
    expect((await rpc(rpcUrl, 'eth_accounts')).result).toEqual([]);
    expect(await publicClient.getBalance({ address: DEV_ACCOUNT_0 })).toBe(before);
    expect(await publicClient.getBalance({ address: other })).toBe(0n);

    const status = (await (await fetch(`${rpcUrl}/status`)).json()) as {
      chain: { leadSec: number };
      rpc: { refused: number };
    };
    expect(status.rpc.refused).toBeGreaterThanOrEqual(3);
    expect(status.chain.leadSec).toBeLessThanOrEqual(60);
  });
});
