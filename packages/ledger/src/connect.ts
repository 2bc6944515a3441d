/**
 * A typed ledger client over JSON-RPC from a deployment file, signing with `privateKey` when given: what node
 * processes (the node's reads, its job roles) use to reach the chain. No retries: a revert is final.
 */
import { readFile } from 'node:fs/promises';
import { AicError } from '@aic/core';
import { devnetPovChain } from '@aic/core/params';
import { createPublicClient, createWalletClient, defineChain, http, nonceManager, toHex } from 'viem';
import { privateKeyToAccount } from 'viem/accounts';
import { createLedgerClient, type LedgerClient } from './client.ts';
import { parseDeployment } from './deployment.ts';

export async function connectLedger(init: {
  rpcUrl: string;
  deploymentFile: string;
  privateKey?: Uint8Array;
  /** Bound on one JSON-RPC request; default the preset's `nodeRpcTimeoutMs` (sized for a loaded machine). */
  rpcTimeoutMs?: number;
}): Promise<LedgerClient> {
  let json: unknown;
  try {
    json = JSON.parse(await readFile(init.deploymentFile, 'utf8'));
  } catch (cause) {
    throw new AicError('LEDGER_DEPLOYMENT_UNAVAILABLE', `cannot read deployment file ${init.deploymentFile}`, {
      cause,
    });
  }
  const deployment = parseDeployment(json);
  const transport = http(init.rpcUrl, { retryCount: 0, timeout: init.rpcTimeoutMs ?? devnetPovChain.nodeRpcTimeoutMs });
  const chain = defineChain({
    id: deployment.chainId,
    name: `chain-${deployment.chainId}`,
    nativeCurrency: { name: 'Ether', symbol: 'ETH', decimals: 18 },
    rpcUrls: { default: { http: [init.rpcUrl] } },
  });
  const publicClient = createPublicClient({ chain, transport, pollingInterval: 100 });
  // One nonce manager for every client of the process (viem's shared one, keyed by address and chain): a node's job
  // roles, data role, storage role and model service each hold a client for the same account, and two of them
  // sending at once would otherwise take the same pending nonce (one transaction then replaces or fails the other).
  const walletClient = init.privateKey
    ? createWalletClient({ chain, transport, account: privateKeyToAccount(toHex(init.privateKey), { nonceManager }) })
    : undefined;
  return createLedgerClient({ publicClient, deployment, ...(walletClient ? { walletClient } : {}) });
}
