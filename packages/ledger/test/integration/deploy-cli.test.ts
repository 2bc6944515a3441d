/**
 * Issue 3, Done-when 4: one command deploys the contracts to any JSON-RPC URL with a keystore file.
 * The chain here is the embedded EVM served over HTTP on 127.0.0.1; the deploy command runs as its own process.
 */
import { spawn } from 'node:child_process';
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { aicToWei } from '@aic/core';
import { encryptKeystore } from '@aic/core/keystore';
import { type Address, createPublicClient, http, parseEther, toHex } from 'viem';
import { generatePrivateKey, privateKeyToAccount } from 'viem/accounts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { aicIssuerAbi, aicTokenAbi } from '../../src/artifacts/index.ts';
import { PRESETS } from '../../src/config.ts';
import { parseDeployment } from '../../src/deployment.ts';
import { type EmbeddedChain, startEmbeddedChain } from '../../src/devchain/embedded-chain.ts';

const ROOT = join(import.meta.dirname, '..', '..', '..', '..');
const PASSWORD = 'correct horse battery staple';

function runDeploy(
  args: string[],
  env: NodeJS.ProcessEnv = {},
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'packages/ledger/src/cli/deploy.ts', ...args], {
      cwd: ROOT,
      env: { ...process.env, ...env },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('exit', (code) => resolve({ code, stdout, stderr }));
  });
}

describe('npm run deploy', () => {
  let chain: EmbeddedChain;
  let rpcUrl: string;
  let dir: string;
  let privateKey: `0x${string}`;
  const allocation = Object.fromEntries(
    ['investors', 'team', 'marketing', 'advisors', 'company'].map((k) => [
      k,
      privateKeyToAccount(generatePrivateKey()).address,
    ]),
  ) as Record<string, Address>;

  beforeAll(async () => {
    chain = await startEmbeddedChain();
    rpcUrl = await chain.serve({ port: 0 });
    dir = await mkdtemp(join(tmpdir(), 'aic-deploy-'));
    privateKey = generatePrivateKey();
    const deployer = privateKeyToAccount(privateKey).address;
    // Gas money for the fresh deployer, from a dev account.
    await chain.provider.request({
      method: 'eth_sendTransaction',
      params: [{ from: chain.accounts[0]!, to: deployer, value: toHex(parseEther('100')) }],
    } as never);
    const keystore = await encryptKeystore(Uint8Array.from(Buffer.from(privateKey.slice(2), 'hex')), PASSWORD, {
      scryptN: 1024,
    });
    await writeFile(join(dir, 'deployer.json'), JSON.stringify(keystore));
    await writeFile(join(dir, 'password.txt'), `${PASSWORD}\n`);
    await writeFile(
      join(dir, 'config.json'),
      JSON.stringify({ admin: deployer, treasury: allocation.company, allocation, params: PRESETS.standard }),
    );
  });

  afterAll(async () => {
    await chain?.close();
  });

  it('deploys every contract with a keystore and the genesis allocation is readable over plain JSON-RPC', async () => {
    const out = join(dir, 'deployment.json');
    const result = await runDeploy([
      ...['--rpc-url', rpcUrl, '--keystore', join(dir, 'deployer.json'), '--config', join(dir, 'config.json')],
      ...['--password-file', join(dir, 'password.txt'), '--out', out],
    ]);
    expect(result.code, result.stderr).toBe(0);
    const deployment = parseDeployment(JSON.parse(await readFile(out, 'utf8')));
    expect(deployment.chainId).toBe(31337);
    const client = createPublicClient({ transport: http(rpcUrl) });
    const balanceOf = (address: Address) =>
      client.readContract({
        address: deployment.contracts.AICToken,
        abi: aicTokenAbi,
        functionName: 'balanceOf',
        args: [address],
      });
    expect(await balanceOf(allocation.investors!)).toBe(aicToWei('3000000000'));
    expect(await balanceOf(deployment.contracts.RewardsPool)).toBe(aicToWei('2000000000'));
    expect(await balanceOf(allocation.company!)).toBe(aicToWei('500000000'));
    // Secrets never reach the output.
    const printed = result.stdout + result.stderr;
    expect(printed).not.toContain(PASSWORD);
    expect(printed.toLowerCase()).not.toContain(privateKey.slice(2).toLowerCase());
  });

  it("with --pov-chain also deploys the PoV chain's contracts: the issuer is the token's sole minter, issuance off", async () => {
    const out = join(dir, 'deployment-pov.json');
    const result = await runDeploy([
      ...['--rpc-url', rpcUrl, '--keystore', join(dir, 'deployer.json'), '--config', join(dir, 'config.json')],
      ...['--password-file', join(dir, 'password.txt'), '--out', out, '--pov-chain'],
    ]);
    expect(result.code, result.stderr).toBe(0);
    const { contracts, pov } = parseDeployment(JSON.parse(await readFile(out, 'utf8')));
    if (!pov) throw new Error('no pov contracts in the deployment JSON');
    const client = createPublicClient({ transport: http(rpcUrl) });
    const minter = await client.readContract({ address: contracts.AICToken, abi: aicTokenAbi, functionName: 'minter' });
    expect(minter).toBe(pov.AICIssuer);
    const read = (functionName: 'issuing' | 'maxTotalIssuance') =>
      client.readContract({ address: pov.AICIssuer, abi: aicIssuerAbi, functionName });
    // The standard preset: published (the deployer is the admin) but off until governance switches it on.
    expect(await read('issuing')).toEqual([false, 0n]);
    expect(await read('maxTotalIssuance')).toBe(aicToWei('1937500') * 365n);
  });

  it('fails with one clear line on a wrong password, a bad config and an unreachable RPC', async () => {
    const base = ['--keystore', join(dir, 'deployer.json'), '--config', join(dir, 'config.json')];
    const wrong = await runDeploy(['--rpc-url', rpcUrl, ...base], { AIC_PASSWORD: 'nope' });
    expect(wrong.code).toBe(1);
    expect(wrong.stderr.trim()).toMatch(/^KEYSTORE_WRONG_PASSWORD: /);
    await writeFile(join(dir, 'bad.json'), JSON.stringify({ admin: 'not-an-address' }));
    const bad = await runDeploy(
      ['--rpc-url', rpcUrl, '--keystore', join(dir, 'deployer.json'), '--config', join(dir, 'bad.json')],
      {
        AIC_PASSWORD: PASSWORD,
      },
    );
    expect(bad.code).toBe(1);
    expect(bad.stderr.trim()).toMatch(/^DEPLOY_INPUT_INVALID: config is invalid: admin: not an address/);
    const offline = await runDeploy(['--rpc-url', 'http://127.0.0.1:9', ...base], { AIC_PASSWORD: PASSWORD });
    expect(offline.code).toBe(1);
    expect(offline.stderr.trim()).toMatch(/^DEPLOY_RPC_UNREACHABLE: /);
  });
});
