import { useMutation, useQuery } from '@tanstack/react-query';
import { type FormEvent, useId, useState } from 'react';
import { apiGet, type PlazaAsset } from '../api.ts';
import { describeError } from '../components/QueryState.tsx';
import { formatAic, shortHex } from '../format.ts';
import { injectedProvider, walletChain } from './wallet-chain.ts';
import { type PaidPurchase, type PlazaPurchase, payFromWallet, readOffers } from './wallet-pay.ts';

/** Most uses one purchase buys from this page (a typo of extra zeros should not drain a wallet). */
const MAX_USES = 100_000;

/** Parses the uses field: a whole number 1..MAX_USES, or the message to show under it. */
export function parseUses(text: string): { uses: bigint } | { error: string } {
  const trimmed = text.trim();
  if (!/^[0-9]+$/.test(trimmed) || /^0+$/.test(trimmed)) return { error: 'Uses must be a whole number of at least 1.' };
  const uses = BigInt(trimmed);
  if (uses > BigInt(MAX_USES)) return { error: `At most ${MAX_USES.toLocaleString('en-US')} uses at once.` };
  return { uses };
}

/** Buy uses (and, where the owner offers them, the NFT or a rental) with the member's wallet. */
export function BuyPanel({ asset }: { asset: PlazaAsset }) {
  const contracts = useQuery({
    queryKey: ['plazaContracts'],
    queryFn: ({ signal }) => apiGet('plazaContracts', '/v1/plaza/contracts', {}, signal),
    staleTime: Number.POSITIVE_INFINITY,
  });
  const [usesText, setUsesText] = useState('1');
  const [fieldError, setFieldError] = useState<string | undefined>();
  const usesId = useId();
  const errorId = useId();
  const price = BigInt(asset.pricePerUseWei);
  const parsed = parseUses(usesText);
  const total = 'uses' in parsed ? parsed.uses * price : undefined;
  const purchase = useMutation<PaidPurchase, Error, PlazaPurchase>({
    mutationFn: (p) => {
      if (contracts.data === undefined) throw new Error('the node has not said where PLAZA is yet');
      return payFromWallet(contracts.data, p);
    },
  });
  const submit = (event: FormEvent) => {
    event.preventDefault();
    if ('error' in parsed) {
      setFieldError(parsed.error);
      return;
    }
    setFieldError(undefined);
    purchase.mutate({ kind: 'uses', tokenId: BigInt(asset.tokenId), uses: parsed.uses, total: parsed.uses * price });
  };
  return (
    <div className="buy-panel">
      <form className="inline-form" onSubmit={submit} noValidate aria-label="Buy uses">
        <label htmlFor={usesId}>Uses</label>
        <input
          id={usesId}
          inputMode="numeric"
          value={usesText}
          size={8}
          aria-invalid={fieldError !== undefined}
          aria-describedby={fieldError === undefined ? undefined : errorId}
          onChange={(e) => {
            setUsesText(e.target.value);
            setFieldError(undefined);
          }}
        />
        <button type="submit" disabled={purchase.isPending || contracts.data === undefined}>
          {purchase.isPending ? 'Waiting for the wallet…' : 'Buy uses with wallet'}
        </button>
        <span className="muted" data-testid="buy-total">
          {total === undefined ? '' : `Total ${formatAic(total)} AIC (${formatAic(price)} per use)`}
        </span>
      </form>
      {fieldError === undefined ? null : (
        <p className="field-error" id={errorId} role="alert">
          {fieldError}
        </p>
      )}
      {purchase.error ? (
        <p className="field-error" role="alert">
          {describeError(purchase.error)}
        </p>
      ) : null}
      {purchase.data ? <PurchaseResult paid={purchase.data} /> : null}
      {contracts.data && injectedProvider() !== undefined ? (
        <OtherOffers asset={asset} contracts={contracts.data} />
      ) : (
        <p className="muted">Connect a browser wallet to see whether the owner offers the NFT for sale or rent.</p>
      )}
    </div>
  );
}

function PurchaseResult({ paid }: { paid: PaidPurchase }) {
  return (
    <p className="notice ok" role="status" data-testid="purchase-result">
      Paid from <code>{shortHex(paid.account, 4)}</code>: {formatAic(paid.balanceBefore - paid.balanceAfter)} AIC (
      {paid.transactions.length} transactions signed by the wallet). Wallet balance now{' '}
      <span data-testid="wallet-balance">{formatAic(paid.balanceAfter)}</span> AIC; you have{' '}
      <strong data-testid="uses-left">{paid.usesLeft.toString()}</strong> uses of this asset.
    </p>
  );
}

function OtherOffers({
  asset,
  contracts,
}: {
  asset: PlazaAsset;
  contracts: { chainId: number } & Parameters<typeof readOffers>[1];
}) {
  const offers = useQuery({
    queryKey: ['plazaOffers', asset.tokenId, asset.transferCount],
    queryFn: async () => {
      const wallet = await walletChain(contracts.chainId);
      if (wallet === undefined || wallet.chainId !== contracts.chainId) return undefined;
      return readOffers(wallet, contracts, BigInt(asset.tokenId), asset.owner);
    },
    retry: false,
  });
  const buy = useMutation<PaidPurchase, Error, PlazaPurchase>({ mutationFn: (p) => payFromWallet(contracts, p) });
  const [daysText, setDaysText] = useState('1');
  const [daysError, setDaysError] = useState<string | undefined>();
  const daysId = useId();
  if (offers.isPending) return null;
  if (offers.error || offers.data === undefined) {
    return <p className="muted">Sale and rental offers: switch the wallet to the node’s chain to read them.</p>;
  }
  const { salePrice, rental } = offers.data;
  return (
    <div className="other-offers">
      <p>
        {salePrice === undefined ? (
          'The owner does not offer this NFT for sale.'
        ) : (
          <>
            For sale at {formatAic(salePrice)} AIC.{' '}
            <button
              type="button"
              disabled={buy.isPending}
              onClick={() => buy.mutate({ kind: 'nft', tokenId: BigInt(asset.tokenId), total: salePrice })}
            >
              Buy the NFT with wallet
            </button>
          </>
        )}
      </p>
      {rental === undefined ? (
        <p>The owner does not offer this asset for rent.</p>
      ) : (
        <form
          className="inline-form"
          noValidate
          aria-label="Rent"
          onSubmit={(event) => {
            event.preventDefault();
            const days = Number(daysText);
            if (!Number.isInteger(days) || days < 1 || days > rental.maxDays) {
              setDaysError(`Days must be a whole number from 1 to ${rental.maxDays}.`);
              return;
            }
            setDaysError(undefined);
            buy.mutate({
              kind: 'rent',
              tokenId: BigInt(asset.tokenId),
              days,
              total: rental.pricePerDay * BigInt(days),
            });
          }}
        >
          <label htmlFor={daysId}>Rent for days ({formatAic(rental.pricePerDay)} AIC a day)</label>
          <input id={daysId} value={daysText} size={4} onChange={(e) => setDaysText(e.target.value)} />
          <button type="submit" disabled={buy.isPending}>
            Rent with wallet
          </button>
          {daysError === undefined ? null : (
            <span className="field-error" role="alert">
              {daysError}
            </span>
          )}
        </form>
      )}
      {buy.error ? (
        <p className="field-error" role="alert">
          {describeError(buy.error)}
        </p>
      ) : null}
      {buy.data ? <PurchaseResult paid={buy.data} /> : null}
    </div>
  );
}
