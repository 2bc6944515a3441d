import { useQuery } from '@tanstack/react-query';
import { apiGet } from '../api.ts';
import { QueryState } from '../components/QueryState.tsx';
import { formatAic, shortHex } from '../format.ts';
import { Args, EventList } from './EventList.tsx';
import { ExplorerSearch } from './ExplorerSearch.tsx';
import { type ExplorerView, explorerHref } from './search-input.ts';
import './explorer.css';

/**
 * The Explorer (issue 14): blocks, transactions, jobs with their state timeline, assets, accounts and PoV epochs,
 * read-only from the node's index of the chain's AIC events.
 */
export default function ExplorerPage({ view, id }: { view: ExplorerView | undefined; id: string | undefined }) {
  return (
    <section aria-labelledby="explorer-title">
      <h1 id="explorer-title">Explorer</h1>
      <ExplorerSearch />
      {view !== undefined ? (
        <p>
          <a href={explorerHref()}>← Latest blocks and jobs</a>
        </p>
      ) : null}
      <View view={view} id={id} />
    </section>
  );
}

function View({ view, id }: { view: ExplorerView | undefined; id: string | undefined }) {
  if (view === 'epochs') return <EpochsView />;
  if (view === undefined || id === undefined) return <Home />;
  switch (view) {
    case 'block':
      return <BlockView number={id} />;
    case 'tx':
      return <TxView hash={id} />;
    case 'job':
      return <JobView jobId={id} />;
    case 'account':
      return <AccountView address={id} />;
    case 'asset':
      return <AssetView tokenId={id} />;
  }
}

function Home() {
  const blocks = useQuery({
    queryKey: ['explorerBlocks'],
    queryFn: ({ signal }) => apiGet('explorerBlocks', '/v1/explorer/blocks', { limit: 10 }, signal),
    refetchInterval: 5_000,
  });
  const jobs = useQuery({
    queryKey: ['explorerJobs'],
    queryFn: ({ signal }) => apiGet('explorerJobs', '/v1/explorer/jobs', { limit: 10 }, signal),
    refetchInterval: 10_000,
  });
  return (
    <div className="explorer-home">
      <section aria-labelledby="jobs-title">
        <h2 id="jobs-title">Jobs</h2>
        <QueryState isPending={jobs.isPending} error={jobs.error} what="the jobs">
          {() =>
            jobs.data!.jobs.length === 0 ? (
              <p className="muted">No job on this chain yet.</p>
            ) : (
              <Scroll label="Jobs">
                <table data-testid="explorer-jobs">
                  <thead>
                    <tr>
                      <th scope="col">Job</th>
                      <th scope="col">State</th>
                      <th scope="col">Requester</th>
                      <th scope="col">Assets</th>
                      <th scope="col" className="num">
                        Escrow (AIC)
                      </th>
                    </tr>
                  </thead>
                  <tbody>
                    {jobs.data!.jobs.map((j) => (
                      <tr key={j.jobId}>
                        <td>
                          <a href={explorerHref('job', j.jobId)}>#{j.jobId}</a>
                        </td>
                        <td>{j.state}</td>
                        <td>
                          <AccountLink address={j.requester} />
                        </td>
                        <td>
                          <a href={explorerHref('asset', j.datasetId)}>#{j.datasetId}</a> ·{' '}
                          <a href={explorerHref('asset', j.modelId)}>#{j.modelId}</a>
                        </td>
                        <td className="num">{formatAic(j.escrowWei)}</td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </Scroll>
            )
          }
        </QueryState>
      </section>
      <section aria-labelledby="blocks-title">
        <h2 id="blocks-title">Latest blocks</h2>
        <QueryState isPending={blocks.isPending} error={blocks.error} what="the blocks">
          {() => (
            <Scroll label="Latest blocks">
              <table data-testid="explorer-blocks">
                <thead>
                  <tr>
                    <th scope="col">Block</th>
                    <th scope="col">Time (UTC)</th>
                    <th scope="col" className="num">
                      Transactions
                    </th>
                    <th scope="col" className="num">
                      AIC events
                    </th>
                  </tr>
                </thead>
                <tbody>
                  {blocks.data!.blocks.map((b) => (
                    <tr key={b.number}>
                      <td>
                        <a href={explorerHref('block', String(b.number))}>{b.number}</a>
                      </td>
                      <td>{new Date(b.time * 1000).toISOString().slice(0, 19).replace('T', ' ')}</td>
                      <td className="num">{b.txCount}</td>
                      <td className="num">{b.aicEvents}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </Scroll>
          )}
        </QueryState>
      </section>
      <p>
        <a href={explorerHref('epochs')}>Proof-of-Value epochs →</a>
      </p>
    </div>
  );
}

function BlockView({ number }: { number: string }) {
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

function TxView({ hash }: { hash: string }) {
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

function JobView({ jobId }: { jobId: string }) {
  const job = useQuery({
    queryKey: ['explorerJob', jobId],
    queryFn: ({ signal }) => apiGet('explorerJob', '/v1/explorer/job', { jobId }, signal),
    refetchInterval: 5_000,
  });
  return (
    <QueryState isPending={job.isPending} error={job.error} what={`job #${jobId}`}>
      {() => {
        const j = job.data!;
        return (
          <article aria-label={`Job ${j.jobId}`} data-testid="explorer-job">
            <h2>
              Job #{j.jobId} <span className="badge">{j.state}</span>
            </h2>
            <ol className="states" aria-label="State timeline" data-testid="job-states">
              {j.timeline.map((step) => (
                <li key={`${step.tx}-${step.logIndex}`}>{step.state}</li>
              ))}
            </ol>
            <dl className="facts wide">
              <dt>Requester</dt>
              <dd>
                <AccountLink address={j.requester} full />
              </dd>
              <dt>Provider</dt>
              <dd>{j.provider === null ? 'not assigned' : <AccountLink address={j.provider} full />}</dd>
              <dt>Verifier</dt>
              <dd>{j.verifier === null ? 'no verdict yet' : <AccountLink address={j.verifier} full />}</dd>
              <dt>Dataset · model</dt>
              <dd>
                <a href={explorerHref('asset', j.datasetId)}>#{j.datasetId}</a> ·{' '}
                <a href={explorerHref('asset', j.modelId)}>#{j.modelId}</a>
              </dd>
              <dt>Escrow</dt>
              <dd>{formatAic(j.escrowWei)} AIC</dd>
              {j.settlement === null ? null : (
                <>
                  <dt>Settlement</dt>
                  <dd>
                    provider {formatAic(j.settlement.providerPaid)} · protocol fee {formatAic(j.settlement.protocolFee)}{' '}
                    · dataset {formatAic(j.settlement.datasetFee)} · model {formatAic(j.settlement.modelFee)} · verifier{' '}
                    {formatAic(j.settlement.verifierFee)} · refund {formatAic(j.settlement.refund)} AIC
                  </dd>
                </>
              )}
              <dt>Live view</dt>
              <dd>
                <a href={`#/job/${j.jobId}`}>progress on the job page</a>
              </dd>
            </dl>
            <h3>Every chain event of the job</h3>
            <EventList events={j.timeline} label={`Timeline of job ${j.jobId}`} testId="job-timeline" />
          </article>
        );
      }}
    </QueryState>
  );
}

function AccountView({ address }: { address: string }) {
  const account = useQuery({
    queryKey: ['explorerAccount', address.toLowerCase()],
    queryFn: ({ signal }) => apiGet('explorerAccount', '/v1/explorer/account', { address }, signal),
    refetchInterval: 10_000,
  });
  return (
    <QueryState isPending={account.isPending} error={account.error} what="the account">
      {() => {
        const a = account.data!;
        return (
          <article aria-label="Account" data-testid="explorer-account">
            <h2>Account</h2>
            <dl className="facts wide">
              <dt>Address</dt>
              <dd>
                <code className="wrap">{a.address}</code>
              </dd>
              <dt>AIC</dt>
              <dd data-testid="account-aic" data-wei={a.aicWei}>
                {formatAic(a.aicWei)} AIC
              </dd>
              <dt>Gas coin</dt>
              <dd>{formatAic(a.nativeWei)}</dd>
              <dt>Assets</dt>
              <dd>
                {a.assets.length === 0
                  ? 'none'
                  : a.assets.map((x, i) => (
                      <span key={x.tokenId}>
                        {i === 0 ? '' : ', '}
                        <a href={explorerHref('asset', x.tokenId)}>
                          {x.kind} #{x.tokenId}
                        </a>
                      </span>
                    ))}
              </dd>
              <dt>Jobs</dt>
              <dd>
                {a.jobs.length === 0
                  ? 'none'
                  : a.jobs.map((j, i) => (
                      <span key={`${j.jobId}-${j.role}`}>
                        {i === 0 ? '' : ', '}
                        <a href={explorerHref('job', j.jobId)}>#{j.jobId}</a> ({j.role}, {j.state})
                      </span>
                    ))}
              </dd>
              <dt>Dashboard</dt>
              <dd>
                <a href={`#/dashboard/${a.address}`}>earnings and Vessel roles</a>
              </dd>
            </dl>
            <h3>
              Events naming this account ({a.eventCount}
              {a.eventCount > a.events.length ? `, newest ${a.events.length}` : ''})
            </h3>
            <EventList events={a.events} label="Events of the account" testId="account-events" />
          </article>
        );
      }}
    </QueryState>
  );
}

function AssetView({ tokenId }: { tokenId: string }) {
  const asset = useQuery({
    queryKey: ['explorerAsset', tokenId],
    queryFn: ({ signal }) => apiGet('explorerAsset', '/v1/explorer/asset', { tokenId }, signal),
  });
  return (
    <QueryState isPending={asset.isPending} error={asset.error} what={`asset #${tokenId}`}>
      {() => {
        const a = asset.data!;
        return (
          <article aria-label={`Asset ${a.tokenId}`} data-testid="explorer-asset">
            <h2>
              {a.kind === 'TrainedAI' ? 'Trained AI' : a.kind} #{a.tokenId}
            </h2>
            <dl className="facts wide">
              <dt>Owner</dt>
              <dd>
                <AccountLink address={a.owner} full />
              </dd>
              <dt>Price per use</dt>
              <dd>{formatAic(a.pricePerUseWei)} AIC</dd>
              <dt>Content root</dt>
              <dd>
                <code className="wrap">{a.contentRoot}</code>
              </dd>
              <dt>Manifest CID</dt>
              <dd>
                <code className="wrap">{a.manifestCid}</code>
              </dd>
              <dt>Lineage</dt>
              <dd>
                {a.lineage.length === 0
                  ? 'none'
                  : a.lineage.map((l, i) => (
                      <span key={l.parentId}>
                        {i === 0 ? '' : ', '}
                        <a href={explorerHref('asset', l.parentId)}>#{l.parentId}</a> ({l.shareBps / 100} %)
                      </span>
                    ))}
              </dd>
            </dl>
            <h3>Events</h3>
            <EventList events={a.events} label={`Events of asset ${a.tokenId}`} />
          </article>
        );
      }}
    </QueryState>
  );
}

function EpochsView() {
  const epochs = useQuery({
    queryKey: ['explorerEpochs'],
    queryFn: ({ signal }) => apiGet('explorerEpochs', '/v1/explorer/epochs', {}, signal),
    refetchInterval: 10_000,
  });
  return (
    <QueryState isPending={epochs.isPending} error={epochs.error} what="the epochs">
      {() => {
        const e = epochs.data!;
        return (
          <article aria-label="Proof-of-Value epochs" data-testid="explorer-epochs">
            <h2>Proof-of-Value epochs</h2>
            <p>
              Epoch {e.currentEpoch} is open. Epochs last {Math.round(e.epochDurationSec / 60)} min and release up to{' '}
              {formatAic(e.emissionPerEpochWei)} AIC each (RewardsPool <AccountLink address={e.contract} />
              ).
            </p>
            {e.epochs.length === 0 ? (
              <p className="muted">No score posted yet.</p>
            ) : (
              <Scroll label="Epochs">
                <table>
                  <thead>
                    <tr>
                      <th scope="col">Epoch</th>
                      <th scope="col" className="num">
                        Total score
                      </th>
                      <th scope="col" className="num">
                        Contributors
                      </th>
                      <th scope="col">Status</th>
                      <th scope="col" className="num">
                        Emission (AIC)
                      </th>
                    </tr>
                  </thead>
                  <tbody>
                    {e.epochs.map((x) => (
                      <tr key={x.epoch}>
                        <td>{x.epoch}</td>
                        <td className="num">{x.totalScore}</td>
                        <td className="num">{x.contributors}</td>
                        <td>{x.finalized ? 'finalized' : x.epoch >= e.currentEpoch ? 'open' : 'ended'}</td>
                        <td className="num">{x.finalized ? formatAic(x.emission) : '—'}</td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </Scroll>
            )}
          </article>
        );
      }}
    </QueryState>
  );
}

function AccountLink({ address, full = false }: { address: string; full?: boolean }) {
  return (
    <a href={explorerHref('account', address)}>
      <code className={full ? 'wrap' : undefined} title={address}>
        {full ? address : shortHex(address, 4)}
      </code>
    </a>
  );
}

function Scroll({ label, children }: { label: string; children: React.ReactNode }) {
  return (
    // biome-ignore lint/a11y/noNoninteractiveTabindex: a scrollable region needs focus (WCAG 2.1.1)
    <section className="table-scroll" aria-label={label} tabIndex={0}>
      {children}
    </section>
  );
}
