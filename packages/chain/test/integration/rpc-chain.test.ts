/**
 * The PoV chain's executor + JSON-RPC with the test-only dev sealer, driven by viem over HTTP exactly as the node
 * and the web wallet drive a chain: the AIC contracts deploy with the ledger's own deployAic, a token transfer
 * lands with its Transfer log, a ComputeMarket read answers, a custom-error revert decodes; then a restart on the
 * same directory resumes at the same head with the same balances.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { aicToWei } from '@aic/core';
import { aicTokenAbi, computeMarketAbi, deployAic, deployConfigSchema, PRESETS } from '@aic/ledger';
import { devAccountKey } from '@aic/ledger/devchain';
import {
  type Address,
  BaseError,
  ContractFunctionRevertedError,
  createPublicClient,
  createWalletClient,
  defineChain,
  http,
  type PublicClient,
  toHex,
} from 'viem';
import { privateKeyToAccount } from 'viem/accounts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CHAIN_EXEC_DEFAULTS } from '../../src/exec/params.ts';
import {
  ChainExecutor,
  type ChainRpc,
  ChainStore,
  type DevSealer,
  type GenesisSpec,
  openLevelKv,
  startChainRpc,
  startDevSealer,
} from '../../src/index.ts';

const chain = defineChain({
  id: CHAIN_EXEC_DEFAULTS.chainId,
  name: 'aic-pov-test',
  nativeCurrency: { name: 'Ether', symbol: 'ETH', decimals: 18 },
  rpcUrls: { default: { http: ['http://127.0.0.1'] } },
});
const keys = Array.from({ length: 13 }, (_, i) => toHex(devAccountKey(i)));
const accounts = keys.map((k) => privateKeyToAccount(k));
const at = (i: number): Address => (accounts[i] as (typeof accounts)[number]).address;
const genesis: GenesisSpec = {
  chainId: CHAIN_EXEC_DEFAULTS.chainId,
  gasLimit: CHAIN_EXEC_DEFAULTS.gasLimit,
  baseFeePerGasWei: CHAIN_EXEC_DEFAULTS.genesisBaseFeeWei,
  alloc: accounts.map((a) => ({ address: a.address, balanceWei: 10n ** 22n })),
};

interface Running {
  executor: ChainExecutor;
  rpc: ChainRpc;
  sealer: DevSealer;
  publicClient: PublicClient;
}

async function start(dir: string, requireExisting = false): Promise<Running> {
  const executor = await ChainExecutor.open({
    genesis,
    store: new ChainStore(await openLevelKv(dir)),
    requireExisting,
  });
  const rpc = await startChainRpc({ executor });
  const sealer = startDevSealer(executor, { coinbase: at(6), batchMs: 5 });
  const publicClient = createPublicClient({ chain, transport: http(rpc.url, { retryCount: 0 }), pollingInterval: 25 });
  return { executor, rpc, sealer, publicClient };
}

async function stop(running: Running): Promise<void> {
  await running.sealer.stop();
  await running.rpc.stop();
  await running.executor.close();
}

async function rpcCall(url: string, body: unknown): Promise<unknown> {
  const response = await fetch(url, { method: 'POST', body: JSON.stringify(body) });
  return response.json();
}

describe('PoV chain JSON-RPC with the AIC contracts', () => {
  const dir = mkdtempSync(join(tmpdir(), 'aic-pov-rpc-'));
  let running: Running;
  let token: Address;
  let market: Address;
  const config = deployConfigSchema.parse({
    admin: at(0),
    treasury: at(6),
    allocation: { investors: at(1), team: at(2), marketing: at(3), advisors: at(4), company: at(5) },
    roles: { allocators: [at(7)], verifiers: [at(8), at(9)], arbiters: [at(10)] },
    params: PRESETS.minimal,
  });
  const wallet = (i: number) =>
    createWalletClient({ chain, transport: http(running.rpc.url, { retryCount: 0 }), account: accounts[i] as never });

  beforeAll(async () => {
    running = await start(dir);
    const deployment = await deployAic({ publicClient: running.publicClient, walletClient: wallet(0) }, config);
    token = deployment.contracts.AICToken;
    market = deployment.contracts.ComputeMarket;
  }, 240_000);

  afterAll(async () => {
    if (running) await stop(running).catch(() => {});
    rmSync(dir, { recursive: true, force: true });
  });

  it('deploys the contracts with deployAic and moves AIC with a transfer that emits its log', async () => {
    expect(await running.publicClient.getCode({ address: token })).toMatch(/^0x.{100,}/);
    const amount = aicToWei('1234');
    const hash = await wallet(5).writeContract({
      address: token,
      abi: aicTokenAbi,
      functionName: 'transfer',
      args: [at(12), amount],
    });
    const receipt = await running.publicClient.waitForTransactionReceipt({ hash });
    expect(receipt.status).toBe('success');
    expect(
      await running.publicClient.readContract({
        address: token,
        abi: aicTokenAbi,
        functionName: 'balanceOf',
        args: [at(12)],
      }),
    ).toBe(amount);
    const logs = await running.publicClient.getContractEvents({
      address: token,
      abi: aicTokenAbi,
      eventName: 'Transfer',
      fromBlock: receipt.blockNumber,
      toBlock: receipt.blockNumber,
    });
    expect(logs.map((l) => l.args)).toEqual([{ from: at(5), to: at(12), value: amount }]);
    const tx = await running.publicClient.getTransaction({ hash });
    expect(tx.from.toLowerCase()).toBe(at(5).toLowerCase());
  });

  it('answers ComputeMarket reads and decodes its custom-error reverts', async () => {
    const [, treasury] = await running.publicClient.readContract({
      address: market,
      abi: computeMarketAbi,
      functionName: 'params',
    });
    expect(treasury.toLowerCase()).toBe(at(6).toLowerCase());
    expect(
      await running.publicClient.readContract({ address: market, abi: computeMarketAbi, functionName: 'jobCount' }),
    ).toBe(0n);
    const failure = await running.publicClient
      .simulateContract({ address: market, abi: computeMarketAbi, functionName: 'withdraw', account: at(12) })
      .catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(BaseError);
    const reverted = (failure as BaseError).walk((e) => e instanceof ContractFunctionRevertedError);
    expect((reverted as ContractFunctionRevertedError | null)?.data?.errorName).toBe('NothingToWithdraw');
  });

  it('answers bad requests with JSON-RPC errors and keeps serving', async () => {
    const url = running.rpc.url;
    const batch = (await rpcCall(url, [
      { jsonrpc: '2.0', id: 1, method: 'eth_noSuchMethod', params: [] },
      { jsonrpc: '2.0', id: 2, method: 'eth_getBalance', params: ['0x1234', 'latest'] },
      { jsonrpc: '2.0', id: 3, method: 'eth_blockNumber' },
      { jsonrpc: '2.0', id: 4, method: 'eth_sendRawTransaction', params: ['0x02c0'] },
      { jsonrpc: '2.0', id: 5, method: 'eth_getLogs', params: [{ fromBlock: '0x0', toBlock: '0xfffff' }] },
    ])) as Array<{ id: number; result?: unknown; error?: { code: number; message: string } }>;
    expect(batch.map((r) => r.error?.code ?? 'ok')).toEqual([-32601, -32602, 'ok', -32000, -32602]);
    expect(batch[1]?.error?.message).toMatch(/address/);
    expect(await rpcCall(url, 'not json')).toMatchObject({ error: { code: -32600 } });
    const broken = await fetch(url, { method: 'POST', body: '{"jsonrpc":' }).then((r) => r.json());
    expect(broken).toMatchObject({ error: { code: -32700 } });
    expect(await running.publicClient.getChainId()).toBe(CHAIN_EXEC_DEFAULTS.chainId);
    const finalized = await running.publicClient.getBlock({ blockTag: 'finalized' });
    expect(finalized.number).toBe(0n); // nothing declared final by a consensus layer here
  });

  it('resumes at the same head with the same balances after a restart on the same directory', async () => {
    const head = await running.publicClient.getBlock();
    const balance = await running.publicClient.readContract({
      address: token,
      abi: aicTokenAbi,
      functionName: 'balanceOf',
      args: [at(12)],
    });
    await stop(running);
    running = await start(dir, true);
    const again = await running.publicClient.getBlock();
    expect(again.hash).toBe(head.hash);
    expect(
      await running.publicClient.readContract({
        address: token,
        abi: aicTokenAbi,
        functionName: 'balanceOf',
        args: [at(12)],
      }),
    ).toBe(balance);
    // And it goes on from there.
    const hash = await wallet(5).writeContract({
      address: token,
      abi: aicTokenAbi,
      functionName: 'transfer',
      args: [at(12), 1n],
    });
    const receipt = await running.publicClient.waitForTransactionReceipt({ hash });
    expect(receipt.blockNumber).toBe(head.number + 1n);
  });
});
