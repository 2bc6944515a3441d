import type { RouteResponse } from '../api.ts';
import { formatAic, shortHex } from '../format.ts';
import { explorerHref } from './search-input.ts';

export type ChainEvent = RouteResponse<'explorerTx'>['events'][number];

/** Arguments that are AIC amounts in wei (shown in AIC). */
const AIC_ARGS = new Set([
  'amount',
  'escrow',
  'price',
  'paid',
  'value',
  'stake',
  'providerPaid',
  'protocolFee',
  'datasetFee',
  'modelFee',
  'verifierFee',
  'refund',
  'reward',
  'collateral',
  'slashed',
  'royalty',
  'fee',
  'emission',
  'pricePerUse',
  'pricePerDay',
]);

export function ArgValue({ name, value }: { name: string; value: unknown }) {
  if (typeof value === 'string' && /^0x[0-9a-fA-F]{40}$/.test(value)) {
    return (
      <a href={explorerHref('account', value)}>
        <code title={value}>{shortHex(value, 4)}</code>
      </a>
    );
  }
  if (typeof value === 'string' && /^0x[0-9a-fA-F]{64}$/.test(value))
    return <code title={value}>{shortHex(value, 6)}</code>;
  if (typeof value === 'string' && /^[0-9]+$/.test(value) && AIC_ARGS.has(name)) return <>{formatAic(value)} AIC</>;
  if (typeof value === 'string' && name === 'jobId' && /^[0-9]+$/.test(value)) {
    return <a href={explorerHref('job', value)}>#{value}</a>;
  }
  if (
    typeof value === 'string' &&
    /^(tokenId|assetId|datasetId|modelId|parentId)$/.test(name) &&
    /^[1-9][0-9]*$/.test(value)
  ) {
    return <a href={explorerHref('asset', value)}>#{value}</a>;
  }
  return <>{typeof value === 'string' ? value : JSON.stringify(value)}</>;
}

export function Args({ args }: { args: Record<string, unknown> }) {
  const entries = Object.entries(args);
  if (entries.length === 0) return <span className="muted">—</span>;
  return (
    <ul className="args">
      {entries.map(([name, value]) => (
        <li key={name}>
          <span className="muted">{name}</span> <ArgValue name={name} value={value} />
        </li>
      ))}
    </ul>
  );
}

/** Chain events as a table; `state` adds the job state each one left (the job timeline). */
export function EventList({
  events,
  label,
  testId,
  showTx = true,
}: {
  events: Array<ChainEvent & { state?: string }>;
  label: string;
  testId?: string;
  showTx?: boolean;
}) {
  if (events.length === 0) return <p className="muted">No AIC events.</p>;
  const withState = events.some((e) => e.state !== undefined);
  return (
    // biome-ignore lint/a11y/noNoninteractiveTabindex: a scrollable region needs focus (WCAG 2.1.1)
    <section className="table-scroll" aria-label={label} tabIndex={0}>
      <table data-testid={testId}>
        <thead>
          <tr>
            <th scope="col">Block</th>
            <th scope="col">Event</th>
            {withState ? <th scope="col">State after</th> : null}
            <th scope="col">Arguments</th>
            {showTx ? <th scope="col">Transaction</th> : null}
          </tr>
        </thead>
        <tbody>
          {events.map((e) => (
            <tr key={`${e.tx}-${e.logIndex}`} data-event={e.event}>
              <td>
                <a href={explorerHref('block', String(e.block))}>{e.block}</a>
                <div className="muted small">{new Date(e.time * 1000).toISOString().slice(11, 19)}</div>
              </td>
              <td>
                <span className="muted">{e.contract}.</span>
                {e.event}
              </td>
              {withState ? <td>{e.state}</td> : null}
              <td>
                <Args args={e.args} />
              </td>
              {showTx ? (
                <td>
                  <a href={explorerHref('tx', e.tx)}>
                    <code title={e.tx}>{shortHex(e.tx, 4)}</code>
                  </a>
                </td>
              ) : null}
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}
