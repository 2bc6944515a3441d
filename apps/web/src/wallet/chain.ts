import { defineChain } from 'viem';

/** Chain id of the embedded devnet chain (Hardhat's), used until the node has told its own. */
export const DEVNET_CHAIN_ID = 31_337;

/** The chain the node is on, as a wallet needs it (wallet_addEthereumChain). */
export function aicChain(chainId: number, rpcUrl: string) {
  return defineChain({
    id: chainId,
    name: chainId === DEVNET_CHAIN_ID ? 'AIC devnet' : `AIC (chain ${chainId})`,
    nativeCurrency: { name: 'Ether', symbol: 'ETH', decimals: 18 },
    rpcUrls: { default: { http: [rpcUrl] } },
  });
}

/** The devnet's JSON-RPC port on the host that served this page (`npm start` serves the chain on 8545). */
export function defaultRpcUrl(): string {
  return `${window.location.protocol}//${window.location.hostname}:8545`;
}

export function isHttpUrl(text: string): boolean {
  try {
    const url = new URL(text);
    return url.protocol === 'http:' || url.protocol === 'https:';
  } catch {
    return false;
  }
}
