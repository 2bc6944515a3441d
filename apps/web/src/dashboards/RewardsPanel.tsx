import { useQuery, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useId, useState } from 'react';
import type { Address } from 'viem';
import { apiGet } from '../api.ts';
import { describeError, QueryState } from '../components/QueryState.tsx';
import { formatAic, shortHex } from '../format.ts';
import { nodeToken, tokenError } from './account-input.ts';
import { type Claimed, claimAsNodeOwner, claimWithWallet } from './claim.ts';
import type { Claimer } from './DashboardPage.tsx';

/** Proof-of-Value rewards per epoch and the claim: signed by the wallet, or by the node with its API token. */
export function RewardsPanel({ address, claimer }: { address: string; claimer: Claimer }) {
  const queryClient = useQueryClient();
  const rewards = useQuery({
    queryKey: ['accountRewards', address.toLowerCase()],
    queryFn: ({ signal }) => apiGet('accountRewards', '/v1/accounts/rewards', { address }, signal),
    refetchInterval: 10_000,
  });
  return (
    <section aria-labelledby="rewards-title" className="dash-section" data-testid="rewards">
      <h2 id="rewards-title">Proof-of-Value rewards</h2>
      <QueryState isPending={rewards.isPending} error={rewards.error} what="the rewards">
        {() => {
          const r = rewards.data!;
          return (
            <>
              <p>
                Epoch {r.currentEpoch} is open (epochs last {Math.round(r.epochDurationSec / 60)} min; each releases up
                to {formatAic(r.emissionPerEpochWei)} AIC). Claimed so far: {formatAic(r.claimedWei)} AIC.
              </p>
              {r.epochs.length === 0 ? (
                <p className="muted">No Proof-of-Value score for this account yet.</p>
              ) : (
                // biome-ignore lint/a11y/noNoninteractiveTabindex: a scrollable region needs focus (WCAG 2.1.1)
                <section className="table-scroll" aria-label="Rewards per epoch" tabIndex={0}>
                  <table data-testid="reward-epochs">
                    <thead>
                      <tr>
                        <th scope="col">Epoch</th>
                        <th scope="col" className="num">
                          Score
                        </th>
                        <th scope="col" className="num">
                          Of total
                        </th>
                        <th scope="col">Status</th>
                        <th scope="col" className="num">
                          Reward (AIC)
                        </th>
                      </tr>
                    </thead>
                    <tbody>
                      {[...r.epochs].reverse().map((e) => (
                        <tr key={e.epoch}>
                          <td>{e.epoch}</td>
                          <td className="num">{e.score}</td>
                          <td className="num">{e.totalScore}</td>
                          <td>
                            {e.status === 'open'
                              ? 'open (projected)'
                              : e.status === 'ended'
                                ? 'ended, being rated'
                                : 'finalized'}
                          </td>
                          <td className="num">{formatAic(e.rewardWei)}</td>
                        </tr>
                      ))}
                    </tbody>
                  </table>
                </section>
              )}
              <ClaimBox
                claimNowWei={r.claimNowWei}
                contract={r.contract as Address}
                address={address}
                claimer={claimer}
                onClaimed={() => void queryClient.invalidateQueries()}
              />
            </>
          );
        }}
      </QueryState>
    </section>
  );
}

function ClaimBox({
  claimNowWei,
  contract,
  address,
  claimer,
  onClaimed,
}: {
  claimNowWei: string;
  contract: Address;
  address: string;
  claimer: Claimer;
  onClaimed: () => void;
}) {
  const balance = useQuery({
    queryKey: ['balance'],
    queryFn: ({ signal }) => apiGet('balance', '/v1/balance', {}, signal),
    enabled: claimer.kind === 'wallet',
  });
  const [claimed, setClaimed] = useState<Claimed | undefined>();
  const [error, setError] = useState<string | undefined>();
  const [pending, setPending] = useState(false);
  const [tokenText, setTokenText] = useState('');
  const [tokenProblem, setTokenProblem] = useState<string | undefined>();
  const [hasToken, setHasToken] = useState(() => nodeToken.get() !== undefined);
  const tokenId = useId();
  const tokenErrorId = useId();
  const nothing = BigInt(claimNowWei) === 0n;

  const run = (claim: () => Promise<Claimed>) => {
    setPending(true);
    setError(undefined);
    claim()
      .then((result) => {
        setClaimed(result);
        onClaimed();
      })
      .catch((cause: unknown) => {
        if (claimer.kind === 'node' && /API_UNAUTHORIZED/.test(describeError(cause))) {
          nodeToken.clear();
          setHasToken(false);
        }
        setError(`The claim failed: ${describeError(cause)}`);
      })
      .finally(() => setPending(false));
  };

  const claimByWallet = () => {
    if (claimer.kind !== 'wallet') return;
    if (balance.data === undefined) {
      setError('The node has not told its chain yet; try again in a moment.');
      return;
    }
    run(() => claimWithWallet(claimer.provider, address as Address, contract, balance.data.chainId));
  };

  const claimByNode = (event: FormEvent) => {
    event.preventDefault();
    let token = nodeToken.get();
    if (token === undefined) {
      const problem = tokenError(tokenText);
      setTokenProblem(problem);
      if (problem !== undefined) return;
      token = tokenText.trim();
      nodeToken.set(token);
      setHasToken(true);
      setTokenText('');
    }
    run(() => claimAsNodeOwner(token));
  };

  return (
    <div className="claim" data-testid="claim">
      <p>
        Claimable now:{' '}
        <strong data-testid="claim-now" data-wei={claimNowWei}>
          {formatAic(claimNowWei)} AIC
        </strong>
        {nothing ? <span className="muted"> — a score becomes AIC when its epoch ends.</span> : null}
      </p>
      {claimer.kind === 'none' ? (
        <p className="muted">Open this account as your wallet or as this node's account to claim.</p>
      ) : null}
      {claimer.kind === 'wallet' ? (
        <button type="button" disabled={pending || nothing} onClick={claimByWallet}>
          {pending ? 'Waiting for the wallet…' : `Claim ${formatAic(claimNowWei)} AIC`}
        </button>
      ) : null}
      {claimer.kind === 'node' ? (
        <form className="inline-form" onSubmit={claimByNode} noValidate>
          {hasToken ? (
            <>
              <span className="muted">API token kept for this tab.</span>
              <button
                type="button"
                className="secondary"
                onClick={() => {
                  nodeToken.clear();
                  setHasToken(false);
                }}
              >
                Forget token
              </button>
            </>
          ) : (
            <>
              <label htmlFor={tokenId}>Node API token</label>
              <input
                id={tokenId}
                type="password"
                value={tokenText}
                onChange={(e) => setTokenText(e.target.value)}
                autoComplete="off"
                spellCheck={false}
                aria-invalid={tokenProblem !== undefined}
                aria-describedby={tokenProblem === undefined ? undefined : tokenErrorId}
              />
            </>
          )}
          {/* Enabled with nothing to claim too: the node's own answer (REWARDS_CONFLICT) is shown. */}
          <button type="submit" disabled={pending}>
            {pending ? 'Claiming…' : `Claim ${formatAic(claimNowWei)} AIC as the node`}
          </button>
          {tokenProblem === undefined ? null : (
            <p id={tokenErrorId} className="field-error" role="alert">
              {tokenProblem}
            </p>
          )}
        </form>
      ) : null}
      {error === undefined ? null : (
        <p className="field-error" role="alert">
          {error}
        </p>
      )}
      {claimed === undefined ? null : (
        <p className="notice" role="status" data-testid="claim-result" data-wei={claimed.amountWei.toString()}>
          Claimed {formatAic(claimed.amountWei)} AIC in transaction{' '}
          <a href={`#/explorer/tx/${claimed.transactionHash}`}>{shortHex(claimed.transactionHash)}</a>.
        </p>
      )}
    </div>
  );
}
