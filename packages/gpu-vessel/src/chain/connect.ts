/**
 * A ledger client with a signer over JSON-RPC, for agents running in node processes (the node's own reads use the
 * same construction). No retries: a revert is final.
 */
import { readFile } from 'node:fs/promises';
import { AicError } from '@aic/core';
import { createLedgerClient, type LedgerClient, parseDeployment } from '@aic/ledger';
import { createPublicClient, createWalletClient, defineChain, http, toHex } from 'viem';
import { privateKeyToAccount } from 'viem/accounts';

export async function connectLedger(init: {
  rpcUrl: string;
  deploymentFile: string;
  privateKey: Uint8Array;
}): Promise<LedgerClient> {
  let json: unknown;
  try {
    json = JSON.parse(await readFile(init.deploymentFile, 'utf8'));
  } catch (cause) {
    throw new AicError('LEDGER_DEPLOYMENT_UNREADABLE', `cannot read deployment file ${init.deploymentFile}`, { cause });
  }
  const deployment = parseDeployment(json);
  const transport = http(init.rpcUrl, { retryCount: 0, timeout: 20_000 });
  const chain = defineChain({
    id: deployment.chainId,
    name: `chain-${deployment.chainId}`,
    nativeCurrency: { name: 'Ether', symbol: 'ETH', decimals: 18 },
    rpcUrls: { default: { http: [init.rpcUrl] } },
  });
  const publicClient = createPublicClient({ chain, transport, pollingInterval: 100 });
  const walletClient = createWalletClient({ chain, transport, account: privateKeyToAccount(toHex(init.privateKey)) });
  return createLedgerClient({ publicClient, walletClient, deployment });
}
