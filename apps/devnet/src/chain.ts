/**
 * The devnet's chain: the embedded EVM served on 127.0.0.1, every AIC contract deployed (minimal preset), dev
 * accounts funded, and the deployment written to a file that nodes and tools read.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { weiToAic } from '@aic/core';
import { type AicDeployment, aicTokenAbi, deploymentToJson } from '@aic/ledger';
import { type DevDeployment, deployDevnet, type EmbeddedChain, startEmbeddedChain } from '@aic/ledger/devchain';
import { type Address, createPublicClient, http } from 'viem';

export interface DevnetChain {
  chain: EmbeddedChain;
  rpcUrl: string;
  dev: DevDeployment;
  deploymentFile: string;
}

export async function startDevnetChain(options: {
  port: number;
  dataDir: string;
  blockIntervalMs: number;
  log: (line: string) => void;
  challengeWindowSec?: number;
  /** Time a drawn verifier has before the requester draws another (default 60 s: a devnet job verifies in ~15 s). */
  verifyWindowSec?: number;
}): Promise<DevnetChain> {
  const chain = await startEmbeddedChain();
  const rpcUrl = await chain.serve({ host: '127.0.0.1', port: options.port });
  options.log(`chain: embedded EVM (chain id ${chain.chainId}) serving JSON-RPC at ${rpcUrl}`);
  const dev = await deployDevnet(chain.provider, chain.accounts, {
    onStep: (line) => options.log(`ledger: ${line}`),
    // A live devnet settles verified jobs after a short challenge window instead of the preset's 60 s.
    params: { challengeWindowSec: options.challengeWindowSec ?? 60, verifyWindowSec: options.verifyWindowSec ?? 60 },
    coordinatorCanaries: true,
  });
  // Blocks also come on a timer, so "the hash of the block after" (assignment and verifier seeds) always arrives.
  await chain.setIntervalMining(options.blockIntervalMs);
  await mkdir(options.dataDir, { recursive: true });
  const deploymentFile = join(options.dataDir, 'deployment.json');
  await writeFile(deploymentFile, `${deploymentToJson(dev.deployment)}\n`);
  options.log(`ledger: deployment written to ${deploymentFile}`);
  return { chain, rpcUrl, dev, deploymentFile };
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
