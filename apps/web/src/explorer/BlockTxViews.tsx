import { useQuery } from '@tanstack/react-query';
import { apiGet } from '../api.ts';
import { QueryState } from '../components/QueryState.tsx';
import { Args, EventList } from './EventList.tsx';
import { AccountLink } from './links.tsx';
import { explorerHref } from './search-input.ts';

/** The Explorer's block and transaction views. */
export function BlockView({ number }: { number: string }) {
  const block = useQuery({
    queryKey: ['explorerBlock', number],
    queryFn: ({ signal }) => apiGet('explorerBlock', '/v1/explorer/block', { number }, signal),
  });
  return (
    <QueryState isPending={block.isPending} error={block.error} what={`block ${number}`}>
      {() => {
        const b = block.data!;
        return (
          <article aria-label={`Block ${b.number}`} data-testid="explorer-block">
            <h2>Block {b.number}</h2>
            <dl className="facts wide">
              <dt>Hash</dt>
              <dd>
                <code className="wrap">{b.hash}</code>
              </dd>
              <dt>Parent</dt>
              <dd>
                {b.number === 0 ? (
                  <code className="wrap">{b.parentHash}</code>
                ) : (
                  <a href={explorerHref('block', String(b.number - 1))}>block {b.number - 1}</a>
                )}
              </dd>
              <dt>Time (UTC)</dt>
              <dd>{new Date(b.time * 1000).toISOString().replace('T', ' ').slice(0, 19)}</dd>
              <dt>Gas used</dt>
              <dd>{b.gasUsed}</dd>
              <dt>Transactions</dt>
              <dd>
                {b.transactions.length === 0 ? (
                  'none'
                ) : (
                  <ul className="plain">
                    {b.transactions.map((t) => (
                      <li key={t}>
                        <a href={explorerHref('tx', t)}>
                          <code className="wrap">{t}</code>
                        </a>
                      </li>
                    ))}
                  </ul>
                )}
              </dd>
            </dl>
            <h3>AIC events</h3>
            <EventList events={b.events} label={`Events of block ${b.number}`} />
          </article>
        );
      }}
    </QueryState>
  );
}

export function TxView({ hash }: { hash: string }) {
  const tx = useQuery({
    queryKey: ['explorerTx', hash],
    queryFn: ({ signal }) => apiGet('explorerTx', '/v1/explorer/tx', { hash }, signal),
  });
  return (
    <QueryState isPending={tx.isPending} error={tx.error} what="the transaction">
      {() => {
        const t = tx.data!;
        return (
          <article aria-label="Transaction" data-testid="explorer-tx">
            <h2>Transaction</h2>
            <dl className="facts wide">
              <dt>Hash</dt>
              <dd>
                <code className="wrap">{t.hash}</code>
              </dd>
              <dt>Status</dt>
              <dd>
                <span className={t.status === 'success' ? 'badge' : 'badge warn'}>{t.status}</span>
              </dd>
              <dt>Block</dt>
              <dd>
                <a href={explorerHref('block', String(t.block))}>{t.block}</a>
              </dd>
              <dt>From</dt>
              <dd>
                <AccountLink address={t.from} full />
              </dd>
              <dt>To</dt>
              <dd>{t.to === null ? 'contract creation' : <AccountLink address={t.to} full />}</dd>
              <dt>Call</dt>
              <dd>
                {t.method === null ? (
                  <span className="muted">not an AIC contract call</span>
                ) : (
                  <>
                    <code>
                      {t.contract}.{t.method}
                    </code>
                    {t.args.length === 0 ? null : (
                      <Args args={Object.fromEntries(t.args.map((a, i) => [`#${i}`, a]))} />
                    )}
                  </>
                )}
              </dd>
              <dt>Gas used</dt>
              <dd>{t.gasUsed}</dd>
            </dl>
            <h3>Events</h3>
            <EventList events={t.events} label="Events of the transaction" showTx={false} testId="tx-events" />
          </article>
        );
      }}
    </QueryState>
  );
}
