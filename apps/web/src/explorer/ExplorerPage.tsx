import { useQuery } from '@tanstack/react-query';
import { apiGet } from '../api.ts';
import { QueryState } from '../components/QueryState.tsx';
import { formatAic } from '../format.ts';
import { BlockView, TxView } from './BlockTxViews.tsx';
import { AccountView, AssetView, EpochsView, JobView } from './EntityViews.tsx';
import { ExplorerSearch } from './ExplorerSearch.tsx';
import { AccountLink, Scroll } from './links.tsx';
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
