import { useQuery } from '@tanstack/react-query';
import { apiGet } from '../api.ts';
import { QueryState } from '../components/QueryState.tsx';
import { formatAic } from '../format.ts';
import { EventList } from './EventList.tsx';
import { AccountLink, Scroll } from './links.tsx';
import { explorerHref } from './search-input.ts';

/** The Explorer's job (state timeline), account, asset and PoV epoch views. */
export function JobView({ jobId }: { jobId: string }) {
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

export function AccountView({ address }: { address: string }) {
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

export function AssetView({ tokenId }: { tokenId: string }) {
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

export function EpochsView() {
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
