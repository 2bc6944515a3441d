/**
 * A test EIP-1193 wallet injected into the page as `window.ethereum` before any script runs: it answers the account
 * and chain requests a wallet answers (one fixed account) and records every method called, so a test can check what
 * the page asked of the wallet. It signs nothing yet (later slices back it with a dev key for transactions).
 */
import type { Page } from 'playwright-core';

export async function injectTestWallet(page: Page, address: string, chainId: number): Promise<void> {
  await page.addInitScript(
    ({ address, chainIdHex }) => {
      const listeners = new Map<string, Array<(...args: unknown[]) => void>>();
      const calls: Array<{ method: string; params: unknown }> = [];
      let chain = chainIdHex;
      const emit = (event: string, value: unknown) => {
        for (const listener of listeners.get(event) ?? []) listener(value);
      };
      const provider = {
        calls,
        on(event: string, listener: (...args: unknown[]) => void) {
          listeners.set(event, [...(listeners.get(event) ?? []), listener]);
          return provider;
        },
        removeListener(event: string, listener: (...args: unknown[]) => void) {
          listeners.set(
            event,
            (listeners.get(event) ?? []).filter((l) => l !== listener),
          );
          return provider;
        },
        async request({ method, params }: { method: string; params?: unknown }) {
          calls.push({ method, params });
          switch (method) {
            case 'eth_requestAccounts':
            case 'eth_accounts':
              return [address];
            case 'eth_chainId':
              return chain;
            case 'net_version':
              return String(Number.parseInt(chain, 16));
            case 'wallet_requestPermissions':
            case 'wallet_getPermissions':
              return [{ parentCapability: 'eth_accounts' }];
            case 'wallet_addEthereumChain':
            case 'wallet_switchEthereumChain': {
              chain = (params as Array<{ chainId: string }>)[0]!.chainId;
              emit('chainChanged', chain);
              return null;
            }
            case 'wallet_revokePermissions':
              return null;
            default:
              throw Object.assign(new Error(`test wallet: ${method} is not supported`), { code: 4200 });
          }
        },
      };
      Object.defineProperty(window, 'ethereum', { value: provider, configurable: true });
    },
    { address, chainIdHex: `0x${chainId.toString(16)}` },
  );
}

/** The methods the page called on the test wallet, in order. */
export function walletCalls(page: Page): Promise<Array<{ method: string; params: unknown }>> {
  return page.evaluate(
    () => (window as unknown as { ethereum: { calls: Array<{ method: string; params: unknown }> } }).ethereum.calls,
  );
}
