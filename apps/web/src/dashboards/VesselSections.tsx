import { useQuery } from '@tanstack/react-query';
import { lazy, Suspense } from 'react';
import { apiGet } from '../api.ts';
import { formatAic, formatBytes, shortHex } from '../format.ts';
import { type Earnings, SOURCE_LABEL, SOURCES } from './earnings-series.ts';
import { MiningSwitchPanel } from './MiningSwitchPanel.tsx';

// uPlot only loads with the chart.
const EarningsChart = lazy(() => import('./EarningsChart.tsx').then((m) => ({ default: m.EarningsChart })));

const DATA_KINDS = new Set(['Data', 'Dataset']);

/** Unified earnings, then one section per Vessel role the account plays. */
export function VesselSections({ earnings }: { earnings: Earnings }) {
  const providerJobs = earnings.gpu.jobs.filter((j) => j.role !== 'requester');
  const requested = earnings.gpu.jobs.filter((j) => j.role === 'requester');
  const data = earnings.assets.filter((a) => DATA_KINDS.has(a.kind));
  const models = earnings.assets.filter((a) => !DATA_KINDS.has(a.kind));
  const isGpu = earnings.gpu.registered || providerJobs.length > 0 || BigInt(earnings.totals.compute) > 0n;
  const roles = [isGpu, data.length > 0, models.length > 0, earnings.storage.deals.length > 0, requested.length > 0];
  return (
    <>
      <UnifiedEarnings earnings={earnings} />
      {isGpu ? <GpuVessel earnings={earnings} jobs={providerJobs} /> : null}
      {data.length > 0 ? (
        <AssetVessel title="Data Vessel" testId="data-vessel" assets={data} usage="Uses sold" />
      ) : null}
      {models.length > 0 ? (
        <AssetVessel title="Model Vessel" testId="model-vessel" assets={models} usage="Calls" />
      ) : null}
      {earnings.storage.deals.length > 0 ? <StorageVessel earnings={earnings} /> : null}
      {requested.length > 0 ? <RequestedJobs jobs={requested} /> : null}
      {roles.some(Boolean) ? null : (
        <p className="notice" data-testid="no-roles">
          This account plays no Vessel role on the chain yet: no offers, jobs, datasets, models or storage deals.
        </p>
      )}
    </>
  );
}

function UnifiedEarnings({ earnings }: { earnings: Earnings }) {
  return (
    <section aria-labelledby="earnings-title" className="dash-section">
      <h2 id="earnings-title">Earnings</h2>
      <dl className="totals" data-testid="earnings-totals">
        {SOURCES.map((source) => (
          <div key={source} data-source={source} data-wei={earnings.totals[source]}>
            <dt>{SOURCE_LABEL[source]}</dt>
            <dd>{formatAic(earnings.totals[source])} AIC</dd>
          </div>
        ))}
        <div className="total" data-source="total" data-wei={earnings.totalWei}>
          <dt>Total</dt>
          <dd>{formatAic(earnings.totalWei)} AIC</dd>
        </div>
      </dl>
      {earnings.series.length === 0 ? (
        <p className="muted">No earnings on the chain yet.</p>
      ) : (
        <Suspense fallback={<p className="muted">Loading the chart…</p>}>
          <EarningsChart series={earnings.series} />
        </Suspense>
      )}
      {earnings.items.length === 0 ? null : (
        <details>
          <summary>Every payment ({earnings.items.length})</summary>
          <Scroll label="Payments">
            <table data-testid="earnings-items">
              <thead>
                <tr>
                  <th scope="col">Block</th>
                  <th scope="col">Source</th>
                  <th scope="col">For</th>
                  <th scope="col" className="num">
                    AIC
                  </th>
                </tr>
              </thead>
              <tbody>
                {[...earnings.items].reverse().map((item) => (
                  <tr key={`${item.tx}-${item.what}`}>
                    <td>
                      <a href={`#/explorer/tx/${item.tx}`}>{item.block}</a>
                    </td>
                    <td>{SOURCE_LABEL[item.source]}</td>
                    <td>{item.what}</td>
                    <td className="num">{formatAic(item.amountWei)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </Scroll>
        </details>
      )}
    </section>
  );
}

function GpuVessel({ earnings, jobs }: { earnings: Earnings; jobs: Earnings['gpu']['jobs'] }) {
  const offers = useQuery({
    queryKey: ['offers'],
    queryFn: ({ signal }) => apiGet('listOffers', '/v1/offers', {}, signal),
    refetchInterval: 10_000,
  });
  const mine = (offers.data?.offers ?? []).filter((o) => o.provider.toLowerCase() === earnings.address.toLowerCase());
  const g = earnings.gpu;
  const running = jobs.filter((j) => !/Settled|Expired|Slashed|Preempted/.test(j.state));
  return (
    <section aria-labelledby="gpu-title" className="dash-section" data-testid="gpu-vessel">
      <h2 id="gpu-title">GPU Vessel</h2>
      <dl className="facts">
        <dt>Hardware class</dt>
        <dd>
          {g.registered ? (
            <span className="badge">class {g.hwClass} · registered on chain</span>
          ) : (
            <span className="badge warn">not registered as a provider</span>
          )}
        </dd>
        <dt>Stake</dt>
        <dd>{formatAic(g.stakeWei)} AIC</dd>
        {BigInt(g.slashedWei) > 0n ? (
          <>
            <dt>Slashed</dt>
            <dd>{formatAic(g.slashedWei)} AIC</dd>
          </>
        ) : null}
        <dt>Offers now</dt>
        <dd>
          {mine.length === 0
            ? 'none on the network right now'
            : mine
                .map(
                  (o) =>
                    `${o.hardware.gpus.map((x) => x.model).join(', ') || `${o.hardware.cpuCores} CPU cores`} at ${formatAic(o.priceWeiPerHour)} AIC/h`,
                )
                .join('; ')}
        </dd>
        <dt>Running jobs</dt>
        <dd>{running.length}</dd>
      </dl>
      <JobsTable jobs={jobs} label="GPU Vessel jobs" testId="gpu-jobs" />
      <MiningSwitchPanel />
    </section>
  );
}

function JobsTable({ jobs, label, testId }: { jobs: Earnings['gpu']['jobs']; label: string; testId: string }) {
  if (jobs.length === 0) return <p className="muted">No jobs yet.</p>;
  return (
    <Scroll label={label}>
      <table data-testid={testId}>
        <thead>
          <tr>
            <th scope="col">Job</th>
            <th scope="col">Role</th>
            <th scope="col">State</th>
            <th scope="col" className="num">
              Paid (AIC)
            </th>
          </tr>
        </thead>
        <tbody>
          {jobs.map((j) => (
            <tr key={`${j.jobId}-${j.role}`}>
              <td>
                <a href={`#/explorer/job/${j.jobId}`}>#{j.jobId}</a>
              </td>
              <td>{j.role}</td>
              <td>{j.state}</td>
              <td className="num">{formatAic(j.paidWei)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </Scroll>
  );
}

function AssetVessel({
  title,
  testId,
  assets,
  usage,
}: {
  title: string;
  testId: string;
  assets: Earnings['assets'];
  usage: string;
}) {
  const income = assets.reduce((sum, a) => sum + BigInt(a.incomeWei), 0n);
  return (
    <section aria-label={title} className="dash-section" data-testid={testId}>
      <h2>{title}</h2>
      <p>
        Income: <strong>{formatAic(income)} AIC</strong> from {assets.length} asset{assets.length === 1 ? '' : 's'}.
      </p>
      <Scroll label={`${title} assets`}>
        <table>
          <thead>
            <tr>
              <th scope="col">Asset</th>
              <th scope="col" className="num">
                Uses sold
              </th>
              {usage === 'Calls' ? (
                <th scope="col" className="num">
                  Calls
                </th>
              ) : null}
              <th scope="col" className="num">
                Jobs
              </th>
              <th scope="col" className="num">
                Income (AIC)
              </th>
            </tr>
          </thead>
          <tbody>
            {assets.map((a) => (
              <tr key={a.tokenId}>
                <td>
                  <a href={`#/explorer/asset/${a.tokenId}`}>
                    {a.kind === 'TrainedAI' ? 'Trained AI' : a.kind} #{a.tokenId}
                  </a>
                  {a.ownedNow ? null : <span className="badge warn">sold</span>}
                </td>
                <td className="num">{a.usesSold}</td>
                {usage === 'Calls' ? <td className="num">{a.usesConsumed}</td> : null}
                <td className="num">{a.jobs}</td>
                <td className="num">{formatAic(a.incomeWei)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </Scroll>
    </section>
  );
}

function StorageVessel({ earnings }: { earnings: Earnings }) {
  const s = earnings.storage;
  return (
    <section aria-labelledby="storage-title" className="dash-section" data-testid="storage-vessel">
      <h2 id="storage-title">Storage Vessel</h2>
      <p>
        Income <strong>{formatAic(earnings.totals.storage)} AIC</strong> · {s.challengesAnswered} challenge
        {s.challengesAnswered === 1 ? '' : 's'} answered
        {BigInt(s.slashedWei) > 0n ? ` · ${formatAic(s.slashedWei)} AIC slashed` : ''}
      </p>
      <Scroll label="Storage deals">
        <table>
          <thead>
            <tr>
              <th scope="col">Deal</th>
              <th scope="col">Client</th>
              <th scope="col">Size</th>
              <th scope="col">State</th>
              <th scope="col" className="num">
                Challenges
              </th>
              <th scope="col" className="num">
                Income (AIC)
              </th>
            </tr>
          </thead>
          <tbody>
            {s.deals.map((d) => (
              <tr key={d.dealId}>
                <td>#{d.dealId}</td>
                <td>
                  <code title={d.client}>{shortHex(d.client, 4)}</code>
                </td>
                <td>{formatBytes(Number(d.sizeBytes))}</td>
                <td>{d.state}</td>
                <td className="num">{d.challengesAnswered}</td>
                <td className="num">{formatAic(d.incomeWei)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </Scroll>
    </section>
  );
}

function RequestedJobs({ jobs }: { jobs: Earnings['gpu']['jobs'] }) {
  return (
    <section aria-labelledby="requested-title" className="dash-section" data-testid="requested-jobs">
      <h2 id="requested-title">Jobs requested</h2>
      <JobsTable jobs={jobs} label="Jobs requested" testId="requested-jobs-table" />
    </section>
  );
}

/** A table wider than a phone scrolls in a region reachable by keyboard. */
function Scroll({ label, children }: { label: string; children: React.ReactNode }) {
  return (
    // biome-ignore lint/a11y/noNoninteractiveTabindex: a scrollable region needs focus (WCAG 2.1.1)
    <section className="table-scroll" aria-label={label} tabIndex={0}>
      {children}
    </section>
  );
}
