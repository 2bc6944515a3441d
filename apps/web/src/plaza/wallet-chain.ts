/**
 * The injected wallet as viem clients: reads (eth_call, receipts, blocks) and writes both go to the wallet itself
 * (`custom` transport), so the page talks to no RPC (CSP connect-src 'self') and the wallet signs every transaction.
 */
import {
  type Address,
  createPublicClient,
  createWalletClient,
  custom,
  defineChain,
  type EIP1193Provider,
  type PublicClient,
  type WalletClient,
} from 'viem';

export interface WalletChain {
  provider: EIP1193Provider;
  publicClient: PublicClient;
  walletClient: WalletClient;
  /** The chain the wallet is on now. */
  chainId: number;
}

export function injectedProvider(): EIP1193Provider | undefined {
  return typeof window === 'undefined' ? undefined : (window as unknown as { ethereum?: EIP1193Provider }).ethereum;
}

/** Clients over the injected wallet for the node's chain; undefined without a wallet. */
export async function walletChain(expectedChainId: number): Promise<WalletChain | undefined> {
  const provider = injectedProvider();
  if (provider === undefined) return undefined;
  const chainId = Number.parseInt(String(await provider.request({ method: 'eth_chainId' })), 16);
  const chain = defineChain({
    id: expectedChainId,
    name: `AIC (chain ${expectedChainId})`,
    nativeCurrency: { name: 'Ether', symbol: 'ETH', decimals: 18 },
    rpcUrls: { default: { http: [] } },
  });
  const transport = custom(provider);
  return {
    provider,
    chainId,
    publicClient: createPublicClient({ chain, transport, pollingInterval: 250 }) as PublicClient,
    walletClient: createWalletClient({ chain, transport }),
  };
}

/** Asks the wallet for its account (the wallet may prompt the member). */
export async function requestAccount(wallet: WalletChain): Promise<Address> {
  const [account] = await wallet.walletClient.requestAddresses();
  if (account === undefined) throw new Error('the wallet shared no account');
  return account;
}
