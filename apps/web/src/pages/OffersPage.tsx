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

function OfferRow({ offer, standing }: { offer: Offer; standing: Standing | undefined }) {
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
      <td>
        {offer.hardware.cpuCores} cores, {formatBytes(offer.hardware.memoryBytes)}
      </td>
      <td>{offer.hardware.backends.join(', ')}</td>
      <td className="num">{offer.capacity.concurrentJobs}</td>
      <td>{formatDuration(Math.max(0, (offer.expiresAtMs - Date.now()) / 1000))}</td>
    </tr>
  );
}
