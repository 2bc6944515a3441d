import { useQuery } from '@tanstack/react-query';
import { type FormEvent, useId, useState } from 'react';
import type { Address } from 'viem';
import { apiGet } from '../api.ts';
import { describeError, QueryState } from '../components/QueryState.tsx';
import { shortHex } from '../format.ts';
import { addressError } from './account-input.ts';
import { injectedWallet, walletAddress } from './claim.ts';
import { RewardsPanel } from './RewardsPanel.tsx';
import { VesselSections } from './VesselSections.tsx';
import './dashboards.css';

export type DashboardMode = 'wallet' | 'node' | 'address';

const MODES: Array<{ mode: DashboardMode; label: string }> = [
  { mode: 'wallet', label: 'My wallet' },
  { mode: 'node', label: "This node's account" },
  { mode: 'address', label: 'Any account' },
];

/**
 * The Vessel dashboards (issue 14): one section per role the account plays on the chain (GPU, Data, Model, Storage
 * Vessel), its unified earnings, and its Proof-of-Value rewards with a claim. The account is the connected wallet's,
 * the node's own (node-owner mode: claims need the node's API token), or any address, read-only.
 */
export default function DashboardPage({ address }: { address: string | undefined }) {
  const [mode, setMode] = useState<DashboardMode>(address === undefined ? 'wallet' : 'address');
  return (
    <section aria-labelledby="dashboard-title">
      <h1 id="dashboard-title">Dashboard</h1>
      <fieldset className="segmented" aria-label="Whose dashboard">
        <legend className="visually-hidden">Whose dashboard</legend>
        {MODES.map(({ mode: m, label }) => (
          <label key={m} className={m === mode ? 'active' : undefined}>
            <input type="radio" name="dashboard-mode" checked={m === mode} onChange={() => setMode(m)} />
            {label}
          </label>
        ))}
      </fieldset>
      {mode === 'wallet' ? <WalletAccount /> : null}
      {mode === 'node' ? <NodeAccount /> : null}
      {mode === 'address' ? <AnyAccount initial={address} /> : null}
    </section>
  );
}

function WalletAccount() {
  const provider = injectedWallet();
  const [account, setAccount] = useState<Address | undefined>();
  const [error, setError] = useState<string | undefined>();
  const [pending, setPending] = useState(false);
  if (provider === undefined) {
    return (
      <p className="notice" role="status">
        No browser wallet found: install an EIP-1193 wallet (MetaMask or similar), or choose this node's account.
      </p>
    );
  }
  if (account === undefined) {
    return (
      <div className="inline-form">
        <button
          type="button"
          disabled={pending}
          onClick={() => {
            setPending(true);
            walletAddress(provider)
              .then((a) => {
                setAccount(a);
                setError(undefined);
              })
              .catch((cause: unknown) => setError(`The wallet did not connect: ${describeError(cause)}`))
              .finally(() => setPending(false));
          }}
        >
          {pending ? 'Connecting…' : 'Show my wallet’s dashboard'}
        </button>
        {error === undefined ? null : (
          <p className="field-error" role="alert">
            {error}
          </p>
        )}
      </div>
    );
  }
  return <AccountDashboard address={account} claimer={{ kind: 'wallet', provider }} />;
}

function NodeAccount() {
  const status = useQuery({
    queryKey: ['status'],
    queryFn: ({ signal }) => apiGet('status', '/v1/status', {}, signal),
  });
  return (
    <QueryState isPending={status.isPending} error={status.error} what="this node's account">
      {() => <AccountDashboard address={status.data!.address} claimer={{ kind: 'node' }} />}
    </QueryState>
  );
}

function AnyAccount({ initial }: { initial: string | undefined }) {
  const [value, setValue] = useState(initial ?? '');
  const [shown, setShown] = useState<string | undefined>(
    initial !== undefined && addressError(initial) === undefined ? initial : undefined,
  );
  const [error, setError] = useState<string | undefined>();
  const inputId = useId();
  const errorId = useId();
  const submit = (event: FormEvent) => {
    event.preventDefault();
    const problem = addressError(value);
    setError(problem);
    if (problem === undefined) setShown(value.trim());
  };
  return (
    <>
      <form className="inline-form" onSubmit={submit} noValidate>
        <label htmlFor={inputId}>Account address</label>
        <input
          id={inputId}
          value={value}
          onChange={(e) => setValue(e.target.value)}
          spellCheck={false}
          autoComplete="off"
          placeholder="0x…"
          size={44}
          aria-invalid={error !== undefined}
          aria-describedby={error === undefined ? undefined : errorId}
        />
        <button type="submit">Show</button>
        {error === undefined ? null : (
          <p id={errorId} className="field-error" role="alert">
            {error}
          </p>
        )}
      </form>
      {shown === undefined ? null : <AccountDashboard address={shown} claimer={{ kind: 'none' }} />}
    </>
  );
}

export type Claimer =
  | { kind: 'wallet'; provider: NonNullable<ReturnType<typeof injectedWallet>> }
  | { kind: 'node' }
  | { kind: 'none' };

function AccountDashboard({ address, claimer }: { address: string; claimer: Claimer }) {
  const earnings = useQuery({
    queryKey: ['accountEarnings', address.toLowerCase()],
    queryFn: ({ signal }) => apiGet('accountEarnings', '/v1/accounts/earnings', { address }, signal),
    refetchInterval: 10_000,
  });
  return (
    <div className="dashboard" data-testid="dashboard" data-address={address}>
      <p className="muted">
        Account{' '}
        <code className="wrap" title={address}>
          {address}
        </code>{' '}
        · <a href={`#/explorer/account/${address}`}>in the Explorer</a>
        {earnings.data ? ` · chain events up to block ${earnings.data.head}` : null}
      </p>
      <QueryState isPending={earnings.isPending} error={earnings.error} what="the account's earnings">
        {() => <VesselSections earnings={earnings.data!} />}
      </QueryState>
      <RewardsPanel address={address} claimer={claimer} />
      <p className="muted small">
        Amounts are read from the chain's events by this node; {shortHex(address, 4)}’s balance is in the Explorer.
      </p>
    </div>
  );
}
