/** What the devnet tells a new member at start (how to join) and anyone at `GET /status`. */
import { resolve } from 'node:path';
import { weiToAic } from '@aic/core';
import type { DevnetChain } from './chain.ts';
import { FAUCET_AIC, FAUCET_GAS_WEI, FAUCET_WINDOW_MS } from './faucet.ts';
import type { NodeStatus } from './node-supervisor.ts';

/** The lines printed at start: RPC URL, deployment file, bootstrap multiaddr, faucet, and one `aic node start`. */
export function howToJoin(rpcUrl: string, deploymentFile: string, bootstrapAddrs: string[] | undefined): string[] {
  const deployment = resolve(deploymentFile);
  const bootstrap = bootstrapAddrs?.find((a) => /^\/ip4\/127\.0\.0\.1\/tcp\/\d+\/p2p\//.test(a)) ?? bootstrapAddrs?.[0];
  const dir = '~/.aic-devnet';
  return [
    'how to join (another terminal, your own key):',
    `  RPC URL     ${rpcUrl}   (signing, hardhat_* and evm_* methods are refused: sign locally)`,
    `  deployment  ${deployment}`,
    `  bootstrap   ${bootstrap ?? '(no nodes running: --nodes 0)'}`,
    `  faucet      POST ${rpcUrl}/faucet {"address":"0x…"}: ${FAUCET_AIC} AIC + ${weiToAic(FAUCET_GAS_WEI)} ETH gas, once per address per ${FAUCET_WINDOW_MS / 3_600_000} h`,
    `  status      GET ${rpcUrl}/status (each node's state, restarts, last exit; the chain clock)`,
    `  1. aic account new --data-dir ${dir}`,
    `  2. aic faucet <your address> --devnet-url ${rpcUrl}`,
    `  3. aic node start --data-dir ${dir} --rpc-url ${rpcUrl} --deployment ${deployment}${bootstrap === undefined ? '' : ` --bootstrap ${bootstrap}`} --api-port 7800`,
  ];
}

/** The body of the devnet's `GET /status`. */
export function devnetStatus(devchain: DevnetChain, nodes: NodeStatus[]) {
  const clock = devchain.clock.state();
  return {
    rpcUrl: devchain.rpcUrl,
    deploymentFile: resolve(devchain.deploymentFile),
    chain: {
      chainId: devchain.chain.chainId,
      miningMode: clock.mode,
      leadSec: Number(clock.leadSec.toFixed(3)),
      maxLeadSec: Number.isFinite(clock.maxLeadSec) ? Number(clock.maxLeadSec.toFixed(3)) : 0,
      catchUps: clock.catchUps,
    },
    rpc: devchain.server.stats(),
    nodes,
  };
}
