/**
 * A test EIP-1193 wallet injected into the page as `window.ethereum` before any script runs: it answers the account
 * and chain requests a wallet answers (one fixed account) and records every method called, so a test can check what
 * the page asked of the wallet.
 *
 * Given a dev key (`signing`), it is a real wallet: eth_sendTransaction, personal_sign and eth_signTypedData_v4 are
 * signed in the test process (a viem account behind `page.exposeBinding`, so the key never enters the page) and every
 * other method (eth_call, eth_estimateGas, eth_getBalance, receipts, blocks, fees…) is forwarded to the chain's
 * JSON-RPC, as MetaMask forwards reads to its RPC. The page itself talks to no RPC (its CSP allows only 'self').
 */
import type { Page } from 'playwright-core';
import {
  createWalletClient,
  defineChain,
  type Hex,
  hexToBigInt,
  hexToNumber,
  http,
  isAddressEqual,
  type TypedDataDefinition,
} from 'viem';
import { privateKeyToAccount } from 'viem/accounts';

export interface TestWalletSigning {
  /** A funded dev key (hex); its address must be the wallet's address. */
  privateKey: Hex;
  /** The chain's JSON-RPC URL (the devnet's embedded chain). */
  rpcUrl: string;
}

const BINDING = '__aicTestWalletSign';

export async function injectTestWallet(
  page: Page,
  address: string,
  chainId: number,
  signing?: TestWalletSigning,
): Promise<void> {
  if (signing !== undefined) await exposeSigner(page, address, chainId, signing);
  await page.addInitScript(
    ({ address, chainIdHex, binding, signs }) => {
      const listeners = new Map<string, Array<(...args: unknown[]) => void>>();
      const calls: Array<{ method: string; params: unknown }> = [];
      let chain = chainIdHex;
      // Events go out on a later task, as a real wallet's do (they cross from the extension): emitted inside the
      // request, a listener's state update would land while React is still rendering the component that asked.
      const emit = (event: string, value: unknown) => {
        setTimeout(() => {
          for (const listener of listeners.get(event) ?? []) listener(value);
        }, 0);
      };
      // Looked up per call: Playwright installs the binding on every new document, as it does this script.
      const backend = () =>
        signs
          ? (window as unknown as Record<string, (method: string, params: unknown) => Promise<unknown>>)[binding]
          : undefined;
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
            default: {
              const sign = backend();
              if (sign === undefined)
                throw Object.assign(new Error(`test wallet: ${method} is not supported`), { code: 4200 });
              const answer = (await sign(method, params ?? [])) as
                | { result: unknown }
                | { error: { code: number; message: string; data?: unknown } };
              if ('error' in answer) throw Object.assign(new Error(answer.error.message), answer.error);
              return answer.result;
            }
          }
        },
      };
      Object.defineProperty(window, 'ethereum', { value: provider, configurable: true });
    },
    { address, chainIdHex: `0x${chainId.toString(16)}`, binding: BINDING, signs: signing !== undefined },
  );
}

/** The methods the page called on the test wallet, in order. */
export function walletCalls(page: Page): Promise<Array<{ method: string; params: unknown }>> {
  return page.evaluate(
    () => (window as unknown as { ethereum: { calls: Array<{ method: string; params: unknown }> } }).ethereum.calls,
  );
}

interface RpcTransaction {
  from?: Hex;
  to?: Hex;
  data?: Hex;
  input?: Hex;
  value?: Hex;
  gas?: Hex;
  nonce?: Hex;
  gasPrice?: Hex;
  maxFeePerGas?: Hex;
  maxPriorityFeePerGas?: Hex;
}

/** The signing half, in the test process: answers `{ result }` or `{ error }` (a JSON-RPC error, as wallets throw). */
async function exposeSigner(page: Page, address: string, chainId: number, signing: TestWalletSigning): Promise<void> {
  const account = privateKeyToAccount(signing.privateKey);
  if (!isAddressEqual(account.address, address as Hex))
    throw new Error(`test wallet: the key's address ${account.address} is not the wallet's ${address}`);
  const chain = defineChain({
    id: chainId,
    name: 'test chain',
    nativeCurrency: { name: 'Ether', symbol: 'ETH', decimals: 18 },
    rpcUrls: { default: { http: [signing.rpcUrl] } },
  });
  const wallet = createWalletClient({ account, chain, transport: http(signing.rpcUrl, { retryCount: 0 }) });
  let rpcId = 0;
  const forward = async (method: string, params: unknown): Promise<unknown> => {
    const response = await fetch(signing.rpcUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ jsonrpc: '2.0', id: ++rpcId, method, params }),
    });
    const body = (await response.json()) as { result?: unknown; error?: unknown };
    return 'error' in body ? { error: body.error } : { result: body.result };
  };
  const sign = async (method: string, params: unknown[]): Promise<unknown> => {
    switch (method) {
      case 'eth_sendTransaction': {
        const tx = params[0] as RpcTransaction;
        if (tx.from !== undefined && !isAddressEqual(tx.from, account.address))
          return { error: { code: 4100, message: `test wallet: cannot sign for ${tx.from}` } };
        const hash = await wallet.sendTransaction({
          to: tx.to ?? null,
          data: tx.data ?? tx.input,
          value: tx.value === undefined ? undefined : hexToBigInt(tx.value),
          gas: tx.gas === undefined ? undefined : hexToBigInt(tx.gas),
          nonce: tx.nonce === undefined ? undefined : hexToNumber(tx.nonce),
        });
        return { result: hash };
      }
      case 'personal_sign': {
        const [message] = params as [Hex, string];
        return { result: await account.signMessage({ message: { raw: message } }) };
      }
      case 'eth_signTypedData_v4': {
        const [, typed] = params as [string, string | TypedDataDefinition];
        const definition = (typeof typed === 'string' ? JSON.parse(typed) : typed) as TypedDataDefinition;
        return { result: await account.signTypedData(definition) };
      }
      default:
        return forward(method, params);
    }
  };
  await page.exposeBinding(BINDING, async (_source, method: string, params: unknown) => {
    try {
      return await sign(method, Array.isArray(params) ? params : [params]);
    } catch (cause) {
      const message = cause instanceof Error ? (cause.message.split('\n')[0] ?? cause.message) : String(cause);
      return { error: { code: -32603, message: `test wallet: ${message}` } };
    }
  });
}
