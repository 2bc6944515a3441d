import { useQuery } from '@tanstack/react-query';
import { useId, useMemo, useState } from 'react';
import { type EIP1193Provider, numberToHex } from 'viem';
import { createConfig, custom, injected, useAccount, useConnect, useDisconnect, WagmiProvider } from 'wagmi';
import { apiGet } from '../api.ts';
import { describeError } from '../components/QueryState.tsx';
import { shortHex } from '../format.ts';
import { aicChain, DEVNET_CHAIN_ID, defaultRpcUrl, isHttpUrl } from './chain.ts';

declare global {
  interface Window {
    ethereum?: EIP1193Provider;
  }
}

/**
 * An injected EIP-1193 wallet (MetaMask and the like) through wagmi. Every request goes to the wallet itself
 * (`custom` transport), so the page talks to no RPC (CSP connect-src 'self') and the user's wallet signs, never the
 * node's key.
 */
export default function WalletPanel({ onClose }: { onClose: () => void }) {
  const balance = useQuery({
    queryKey: ['balance'],
    queryFn: ({ signal }) => apiGet('balance', '/v1/balance', {}, signal),
    retry: false,
  });
  const chainId = balance.data?.chainId ?? DEVNET_CHAIN_ID;
  const provider = typeof window === 'undefined' ? undefined : window.ethereum;
  const config = useMemo(
    () =>
      provider === undefined
        ? undefined
        : createConfig({
            chains: [aicChain(chainId, defaultRpcUrl())],
            connectors: [injected()],
            transports: { [chainId]: custom(provider) },
            // wagmi's Hydrate runs its mount step (reconnect, store writes) during render unless `ssr` is set, when it
            // runs in an effect: during render it updated the panel's subscribers and React warned, now and then,
            // "Cannot update a component while rendering a different component".
            ssr: true,
          }),
    [provider, chainId],
  );
  if (provider === undefined || config === undefined) {
    return (
      <div className="wallet-panel" role="status">
        <span>No browser wallet found: install an EIP-1193 wallet (MetaMask or similar).</span>
        <button type="button" onClick={onClose}>
          Close
        </button>
      </div>
    );
  }
  return (
    <WagmiProvider config={config}>
      <Connected provider={provider} chainId={chainId} onClose={onClose} />
    </WagmiProvider>
  );
}

function Connected({
  provider,
  chainId,
  onClose,
}: {
  provider: EIP1193Provider;
  chainId: number;
  onClose: () => void;
}) {
  const account = useAccount();
  const { connect, connectors, error, isPending } = useConnect();
  const { disconnect } = useDisconnect();
  const [rpcUrl, setRpcUrl] = useState(defaultRpcUrl);
  const [message, setMessage] = useState<string | undefined>();
  const rpcId = useId();

  const addChain = async () => {
    if (!isHttpUrl(rpcUrl)) {
      setMessage('The RPC URL must start with http:// or https://');
      return;
    }
    try {
      const chain = aicChain(chainId, rpcUrl);
      await provider.request({
        method: 'wallet_addEthereumChain',
        params: [
          {
            chainId: numberToHex(chain.id),
            chainName: chain.name,
            nativeCurrency: chain.nativeCurrency,
            rpcUrls: [rpcUrl],
          },
        ],
      });
      setMessage(`${chain.name} added to the wallet.`);
    } catch (cause) {
      setMessage(`The wallet did not add the chain: ${describeError(cause)}`);
    }
  };

  if (account.status !== 'connected') {
    return (
      <div className="wallet-panel">
        <button
          type="button"
          disabled={isPending}
          onClick={() => {
            const connector = connectors[0];
            if (connector) connect({ connector });
          }}
        >
          {isPending ? 'Connecting…' : 'Connect injected wallet'}
        </button>
        <button type="button" className="secondary" onClick={onClose}>
          Cancel
        </button>
        {error ? (
          <span className="field-error" role="alert">
            {error.message.split('\n')[0]}
          </span>
        ) : null}
      </div>
    );
  }
  return (
    <div className="wallet-panel" data-testid="wallet-connected">
      <span>
        <code title={account.address}>{shortHex(account.address ?? '', 4)}</code>
        {account.chainId === chainId ? '' : <span className="badge warn">other chain ({account.chainId})</span>}
      </span>
      <label htmlFor={rpcId} className="visually-hidden">
        Chain RPC URL
      </label>
      <input id={rpcId} value={rpcUrl} onChange={(e) => setRpcUrl(e.target.value)} size={22} />
      <button type="button" onClick={() => void addChain()}>
        Add devnet chain
      </button>
      <button type="button" className="secondary" onClick={() => disconnect()}>
        Disconnect
      </button>
      {message === undefined ? null : (
        <span role="status" className="muted">
          {message}
        </span>
      )}
    </div>
  );
}
