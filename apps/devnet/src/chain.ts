/**
 * The devnet's chain: the embedded EVM, every AIC contract deployed (minimal preset), dev accounts funded, the
 * deployment written to a file that nodes and tools read, and one HTTP port on 127.0.0.1 for other processes: the
 * chain's JSON-RPC behind a method guard (no unlocked accounts, no test methods), the faucet and the devnet's status.
 * The chain clock keeps block time near the wall clock.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { weiToAic } from '@aic/core';
import { type AicDeployment, aicTokenAbi, deploymentToJson, PRESETS } from '@aic/ledger';
import { type DevDeployment, deployDevnet, type EmbeddedChain, startEmbeddedChain } from '@aic/ledger/devchain';
import { type Address, createPublicClient, http } from 'viem';
import { type ChainClock, type ClockProvider, createChainClock } from './chain-clock.ts';
import { createFaucet, devnetFaucetSender, type Faucet, type FaucetOptions } from './faucet.ts';
import { type DevnetRoute, type DevnetServer, startDevnetServer } from './rpc-server.ts';

export interface DevnetChain {
  /** The embedded chain with its privileged in-process provider (the devnet process's own access). */
  chain: EmbeddedChain;
  /** The guarded JSON-RPC URL other processes use (POST /); the same server answers POST /faucet, GET /status. */
  rpcUrl: string;
  dev: DevDeployment;
  deploymentFile: string;
  server: DevnetServer;
  clock: ChainClock;
  faucet: Faucet;
  /** Routes of the devnet's server besides JSON-RPC; add to it (e.g. `GET /status` once the nodes run). */
  routes: Record<string, DevnetRoute>;
  /** Stops the server, the clock and the chain. */
  close(): Promise<void>;
}

export async function startDevnetChain(options: {
  port: number;
  dataDir: string;
  blockIntervalMs: number;
  log: (line: string) => void;
  /** Overrides of the devnet preset's contract windows (`@aic/core/params`: 5 s challenge, 60 s verify window; a
   * devnet job verifies in ~15 s). */
  challengeWindowSec?: number;
  verifyWindowSec?: number;
  /** Providers on a job's seeded shortlist (default: the devnet preset's); a test of wrong assignments needs fewer
   * than the staked providers. */
  assignShortlistSize?: number;
  /** How long raters have to challenge an epoch's first score proposal (default: the devnet preset's 10 s). */
  scoreChallengeWindowSec?: number;
  /** Methods outsiders may call besides the guard's (tests only: AIC_DEVNET_RPC_ALLOW). */
  extraRpcMethods?: Set<string>;
  /** Fraction of JSON-RPC HTTP requests failed on purpose (fault tests only). */
  rpcFaultRate?: number;
  faucet?: Omit<FaucetOptions, 'send'>;
}): Promise<DevnetChain> {
  const chain = await startEmbeddedChain({ blocksMayShareTimestamp: true });
  const routes: Record<string, DevnetRoute> = {};
  const server = await startDevnetServer({
    chain,
    port: options.port,
    routes,
    ...(options.extraRpcMethods === undefined ? {} : { extraMethods: options.extraRpcMethods }),
    ...(options.rpcFaultRate === undefined ? {} : { faultRate: options.rpcFaultRate }),
  });
  const rpcUrl = server.url;
  options.log(
    `chain: embedded EVM (chain id ${chain.chainId}) serving JSON-RPC at ${rpcUrl} (signing, hardhat_* and evm_* methods refused)`,
  );
  const dev = await deployDevnet(chain.provider, chain.accounts, {
    onStep: (line) => options.log(`ledger: ${line}`),
    // The devnet preset: a short challenge window (a verified job settles seconds after its verdict), 60 s verify window.
    params: {
      ...PRESETS.devnet,
      ...(options.challengeWindowSec === undefined ? {} : { challengeWindowSec: options.challengeWindowSec }),
      ...(options.verifyWindowSec === undefined ? {} : { verifyWindowSec: options.verifyWindowSec }),
      ...(options.assignShortlistSize === undefined ? {} : { assignShortlistSize: options.assignShortlistSize }),
      ...(options.scoreChallengeWindowSec === undefined
        ? {}
        : { scoreChallengeWindowSec: options.scoreChallengeWindowSec }),
    },
    coordinatorCanaries: true,
    // Each `--verifier` node stakes at start (as a provider does); the deployment only funds them.
    verifiersStakeThemselves: true,
  });
  // Blocks also come on a timer, so "the hash of the block after" (assignment and verifier seeds) always arrives.
  await chain.setIntervalMining(options.blockIntervalMs);
  const clock = createChainClock({
    provider: chain.provider as ClockProvider,
    intervalMs: options.blockIntervalMs,
    onModeChange: (mode, lead) =>
      options.log(
        mode === 'catch-up'
          ? `chain: ${lead.toFixed(0)} s ahead of the wall clock; mining every 2 s (automine off) until it is back`
          : `chain: back within ${lead.toFixed(0)} s of the wall clock; automine on`,
      ),
  });
  clock.start();
  const faucet = createFaucet({ ...options.faucet, send: devnetFaucetSender(chain, dev) });
  routes['POST /faucet'] = faucet.route;
  await mkdir(options.dataDir, { recursive: true });
  const deploymentFile = join(options.dataDir, 'deployment.json');
  await writeFile(deploymentFile, `${deploymentToJson(dev.deployment)}\n`);
  options.log(`ledger: deployment written to ${deploymentFile}`);
  const close = async () => {
    clock.stop();
    await server.close();
    await chain.close();
  };
  return { chain, rpcUrl, dev, deploymentFile, server, clock, faucet, routes, close };
}

/** Reads balances over plain JSON-RPC (what any wallet would do) and formats the summary. */
export async function describeDevnet(
  rpcUrl: string,
  deployment: AicDeployment,
  accounts: Record<string, Address>,
): Promise<string[]> {
  const client = createPublicClient({ transport: http(rpcUrl) });
  const lines = ['contracts:'];
  for (const [name, address] of Object.entries(deployment.contracts)) lines.push(`  ${name.padEnd(14)} ${address}`);
  lines.push('accounts (AIC balance read over JSON-RPC):');
  for (const [label, address] of Object.entries(accounts)) {
    const wei = await client.readContract({
      address: deployment.contracts.AICToken,
      abi: aicTokenAbi,
      functionName: 'balanceOf',
      args: [address],
    });
    lines.push(`  ${label.padEnd(14)} ${address}  ${Number(weiToAic(wei)).toLocaleString('en-US')} AIC`);
  }
  return lines;
}
