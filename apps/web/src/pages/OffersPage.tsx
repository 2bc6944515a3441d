import { useQuery } from '@tanstack/react-query';
import { apiGet, type Offer, type RouteResponse } from '../api.ts';
import { QueryState } from '../components/QueryState.tsx';
import { formatAic, formatBytes, formatDuration, shortHex } from '../format.ts';

export function OffersPage() {
  return (
    <section aria-labelledby="offers-page-title">
      <h1 id="offers-page-title">GPU offers</h1>
      <p className="muted">Compute that GPU Vessels offer on the network right now, cheapest first.</p>
      <OffersTable />
    </section>
  );
}

type Standing = RouteResponse<'plazaProviders'>['providers'][number];

export function OffersTable() {
  const offers = useQuery({
    queryKey: ['offers'],
    queryFn: ({ signal }) => apiGet('listOffers', '/v1/offers', {}, signal),
    refetchInterval: 10_000,
  });
  const addresses = [...new Set((offers.data?.offers ?? []).map((o) => o.provider.toLowerCase()))].sort().slice(0, 50);
  // Each provider's standing on chain (proven class, stake): a table without it still shows the offers.
  const standings = useQuery({
    queryKey: ['plazaProviders', addresses.join(',')],
    queryFn: ({ signal }) =>
      apiGet('plazaProviders', '/v1/plaza/providers', { addresses: addresses.join(',') }, signal),
    enabled: addresses.length > 0,
    retry: false,
    staleTime: 30_000,
  });
  const standingOf = new Map((standings.data?.providers ?? []).map((p) => [p.address.toLowerCase(), p]));
  // Location: the Vivaldi coordinate's estimated round trip from this node to the provider's peer (same key).
  const peers = useQuery({
    queryKey: ['peers'],
    queryFn: ({ signal }) => apiGet('peers', '/v1/peers', {}, signal),
    refetchInterval: 15_000,
    retry: false,
  });
  const self = useQuery({
    queryKey: ['status'],
    queryFn: ({ signal }) => apiGet('status', '/v1/status', {}, signal),
    retry: false,
    staleTime: 60_000,
  });
  const rttOf = new Map(
    (peers.data?.peers ?? []).flatMap((p) => (p.address === null ? [] : [[p.address.toLowerCase(), p.rttMs]])),
  );
  const locationOf = (provider: string): string => {
    const a = provider.toLowerCase();
    if (self.data?.address?.toLowerCase() === a) return 'this node';
    if (peers.data === undefined) return '…';
    const rtt = rttOf.get(a);
    return rtt === undefined || rtt === null ? 'unknown' : `≈ ${Math.max(1, Math.round(rtt))} ms`;
  };
  return (
    <QueryState isPending={offers.isPending} error={offers.error} what="the GPU offers">
      {() => {
        const list = [...(offers.data?.offers ?? [])].sort((a, b) =>
          BigInt(a.priceWeiPerHour) < BigInt(b.priceWeiPerHour) ? -1 : 1,
        );
        if (list.length === 0) return <p className="notice">No provider offers compute on this network right now.</p>;
        return (
          // A table wider than a phone scrolls: its container must be reachable by keyboard to scroll it.
          // biome-ignore lint/a11y/noNoninteractiveTabindex: a scrollable region needs focus (WCAG 2.1.1)
          <section className="table-scroll" aria-label="GPU offers table" tabIndex={0}>
            <table data-testid="offers-table">
              <thead>
                <tr>
                  <th scope="col">Provider</th>
                  <th scope="col" className="num">
                    Price per hour
                  </th>
                  <th scope="col">Hardware</th>
                  <th scope="col">Proven class</th>
                  <th scope="col" className="num">
                    Stake
                  </th>
                  <th scope="col" className="num">
                    Active jobs
                  </th>
                  <th scope="col">Reputation</th>
                  <th scope="col" className="num">
                    Location (RTT)
                  </th>
                  <th scope="col">CPU / memory</th>
                  <th scope="col">Backends</th>
                  <th scope="col" className="num">
                    Jobs at once
                  </th>
                  <th scope="col">Expires in</th>
                </tr>
              </thead>
              <tbody>
                {list.map((offer) => (
                  <OfferRow
                    key={`${offer.provider}/${offer.offerId}`}
                    offer={offer}
                    standing={standingOf.get(offer.provider.toLowerCase())}
                    location={locationOf(offer.provider)}
                  />
                ))}
              </tbody>
            </table>
          </section>
        );
      }}
    </QueryState>
  );
}

/** The provider's track record on chain, as counts (jobs settled of those assigned; slashed and preempted if any). */
function reputationText(standing: Standing | undefined): string {
  const r = standing?.record;
  if (standing === undefined) return '…';
  if (r === undefined) return 'not read';
  if (r.jobsAssigned === 0) return 'no jobs yet';
  const bad = [
    r.jobsSlashed > 0 ? `${r.jobsSlashed} slashed` : undefined,
    r.jobsPreempted > 0 ? `${r.jobsPreempted} preempted` : undefined,
  ].filter((p) => p !== undefined);
  return `${r.jobsSettled} of ${r.jobsAssigned} settled${bad.length > 0 ? `, ${bad.join(', ')}` : ''}`;
}

function OfferRow({ offer, standing, location }: { offer: Offer; standing: Standing | undefined; location: string }) {
  const gpus = offer.hardware.gpus;
  const hardware =
    gpus.length === 0
      ? 'CPU only'
      : `${gpus.length} × ${gpus[0]?.model ?? 'GPU'} (${formatBytes(gpus[0]?.memoryBytes ?? 0)})`;
  return (
    <tr>
      <td>
        <code title={offer.provider}>{shortHex(offer.provider, 4)}</code>
      </td>
      <td className="num">{formatAic(offer.priceWeiPerHour)} AIC</td>
      <td>{hardware}</td>
      <td>{standing === undefined ? '…' : standing.registered ? `class ${standing.hwClass}` : 'not staked'}</td>
      <td className="num">{standing === undefined ? '…' : `${formatAic(standing.stakeWei)} AIC`}</td>
      <td className="num">{standing === undefined ? '…' : standing.activeJobs}</td>
      <td data-testid="offer-reputation">{reputationText(standing)}</td>
      <td className="num" data-testid="offer-location">
        {location}
      </td>
      <td>
        {offer.hardware.cpuCores} cores, {formatBytes(offer.hardware.memoryBytes)}
      </td>
      <td>{offer.hardware.backends.join(', ')}</td>
      <td className="num">{offer.capacity.concurrentJobs}</td>
      <td>{formatDuration(Math.max(0, (offer.expiresAtMs - Date.now()) / 1000))}</td>
    </tr>
  );
}
