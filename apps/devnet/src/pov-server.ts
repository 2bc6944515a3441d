/**
 * The PoV devnet's one HTTP port for other processes, as the EDR devnet's (rpc-server.ts): JSON-RPC behind the same
 * method guard, here forwarded to a validator's own JSON-RPC (the chain is the validators'; this process holds none
 * of it), the faucet and the devnet's status. The faucet signs here with the company dev account's key — the
 * equivalent of the EDR faucet's unlocked account — since the PoV chain holds no keys.
 */
import { aicToWei } from '@aic/core';
import { type AicDeployment, createLedgerClient } from '@aic/ledger';
import type { JsonRpcResponse } from '@aic/ledger/devchain';
import { type Chain, createPublicClient, createWalletClient, type Hex, http, nonceManager } from 'viem';
import { privateKeyToAccount } from 'viem/accounts';
import { createFaucet, FAUCET_AIC, type Faucet } from './faucet.ts';
import type { NodeStatus } from './node-supervisor.ts';
import { type DevnetRoute, type DevnetServer, startDevnetServer } from './rpc-server.ts';

export interface PovDevnetServer {
  server: DevnetServer;
  faucet: Faucet;
  routes: Record<string, DevnetRoute>;
  url: string;
  close(): Promise<void>;
}

export async function startPovDevnetServer(o: {
  port: number;
  /** The validator JSON-RPC the guarded requests go to. */
  validatorRpcUrl: string;
  chain: Chain;
  deployment: AicDeployment;
  /** The key the faucet sends from (the company bucket's dev account). */
  faucetKey: Hex;
  status: () => Promise<{ chain: unknown; nodes: NodeStatus[] }>;
}): Promise<PovDevnetServer> {
  const routes: Record<string, DevnetRoute> = {};
  const server = await startDevnetServer({
    chain: { handleJsonRpc: (request) => forward(o.validatorRpcUrl, request) },
    port: o.port,
    routes,
  });
  const transport = http(o.validatorRpcUrl, { retryCount: 0, timeout: 60_000 });
  const company = createLedgerClient({
    publicClient: createPublicClient({ chain: o.chain, transport, pollingInterval: 250 }),
    // One nonce sequence for concurrent grants from one account.
    walletClient: createWalletClient({
      chain: o.chain,
      transport,
      account: privateKeyToAccount(o.faucetKey, { nonceManager }),
    }),
    deployment: o.deployment,
  });
  const faucet = createFaucet({
    aicWei: aicToWei(FAUCET_AIC),
    send: async (to, aicWei, gasWei) => {
      const aic = await company.confirm('faucet AIC', () => company.token.write.transfer([to, aicWei]));
      const gas = await company.confirm('faucet gas', () =>
        company.walletClient!.sendTransaction({ to, value: gasWei }),
      );
      return [aic.transactionHash, gas.transactionHash];
    },
  });
  routes['POST /faucet'] = faucet.route;
  routes['GET /status'] = async () => ({
    status: 200,
    body: { rpcUrl: server.url, validatorRpcUrl: o.validatorRpcUrl, ...(await o.status()), rpc: server.stats() },
  });
  return { server, faucet, routes, url: server.url, close: () => server.close() };
}

/** One JSON-RPC request to the validator, its response as is (errors included: the guard already let it through). */
async function forward(url: string, request: unknown): Promise<JsonRpcResponse> {
  const id = typeof request === 'object' && request !== null ? ((request as { id?: unknown }).id ?? null) : null;
  try {
    const res = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(request),
      signal: AbortSignal.timeout(60_000),
    });
    return (await res.json()) as JsonRpcResponse;
  } catch (error) {
    return {
      jsonrpc: '2.0',
      id: id as JsonRpcResponse['id'],
      error: { code: -32603, message: `the validator's JSON-RPC did not answer: ${String(error)}` },
    };
  }
}
