import { useQuery } from '@tanstack/react-query';
import { useId, useMemo, useState } from 'react';
import { apiGet, type PlazaAsset } from '../api.ts';
import { LineageGraph } from '../components/LineageGraph.tsx';
import { QueryState } from '../components/QueryState.tsx';
import { formatAic, shortHex } from '../format.ts';
import { evaluationSummary, ioSummary, ownerPovText, standingText } from '../plaza/AssetExtras.tsx';
import '../plaza/plaza.css';
import { OffersTable } from './OffersPage.tsx';

const KINDS = ['All', 'Dataset', 'Model', 'TrainedAI', 'Data'] as const;
type KindFilter = (typeof KINDS)[number];
const KIND_NAMES: Record<string, string> = {
  Dataset: 'Dataset',
  Model: 'Model',
  TrainedAI: 'Trained AI',
  Data: 'Data',
};
const KIND_LABELS: Record<KindFilter, string> = {
  All: 'All',
  Dataset: 'Datasets',
  Model: 'Models',
  TrainedAI: 'Trained AIs',
  Data: 'Data',
};

export function PlazaPage() {
  const assets = useQuery({
    queryKey: ['plazaAssets'],
    queryFn: ({ signal }) => apiGet('plazaAssets', '/v1/plaza/assets', { limit: 200 }, signal),
    refetchInterval: 15_000,
  });
  const [kind, setKind] = useState<KindFilter>('All');
  const [search, setSearch] = useState('');
  const searchId = useId();
  const searchErrorId = useId();
  const searchError = searchProblem(search);
  const shown = useMemo(() => {
    if (searchProblem(search) !== undefined) return assets.data?.assets ?? [];
    const needle = search.trim().toLowerCase();
    const byId = /^#[0-9]+$/.test(needle) ? needle.slice(1) : undefined;
    return (assets.data?.assets ?? []).filter(
      (a) =>
        (kind === 'All' || a.kind === kind) &&
        (byId !== undefined
          ? a.tokenId === byId
          : needle === '' ||
            [a.tokenId, a.manifestCid, a.owner, a.kind, KIND_NAMES[a.kind] ?? '', a.contentRoot].some((f) =>
              f.toLowerCase().includes(needle),
            )),
    );
  }, [assets.data, kind, search]);
  return (
    <>
      <section aria-labelledby="plaza-title">
        <h1 id="plaza-title">AI PLAZA</h1>
        <p className="muted">Datasets, models and Trained AIs registered on chain, with their price per use.</p>
        <div className="toolbar">
          <fieldset className="segmented">
            <legend className="visually-hidden">Asset kind</legend>
            {KINDS.map((k) => (
              <label key={k} className={kind === k ? 'active' : undefined}>
                <input type="radio" name="kind" value={k} checked={kind === k} onChange={() => setKind(k)} />
                {KIND_LABELS[k]}
              </label>
            ))}
          </fieldset>
          <label htmlFor={searchId} className="visually-hidden">
            Search assets
          </label>
          <input
            id={searchId}
            type="search"
            placeholder="Search: #id, kind, owner, manifest or root"
            value={search}
            aria-invalid={searchError !== undefined}
            aria-describedby={searchError === undefined ? undefined : searchErrorId}
            onChange={(e) => setSearch(e.target.value)}
          />
        </div>
        {searchError === undefined ? null : (
          <p className="field-error" id={searchErrorId} role="alert">
            {searchError}
          </p>
        )}
        <QueryState isPending={assets.isPending} error={assets.error} what="the PLAZA assets">
          {() =>
            shown.length === 0 ? (
              <p className="notice">
                {assets.data?.totalMinted === 0
                  ? 'No asset is registered on this chain yet: publish a dataset or a model with the aic CLI.'
                  : 'No asset matches this filter.'}
              </p>
            ) : (
              <ul className="cards" aria-label="Assets" data-testid="plaza-assets">
                {shown.map((asset) => (
                  <AssetCard key={asset.tokenId} asset={asset} all={assets.data?.assets ?? []} />
                ))}
              </ul>
            )
          }
        </QueryState>
      </section>
      <section aria-labelledby="offers-title">
        <h2 id="offers-title">GPU offers</h2>
        <OffersTable />
      </section>
    </>
  );
}

/** Most characters a search may have (an address or a CID fits); past it, or `#` not followed by digits, is refused. */
const SEARCH_MAX = 100;
function searchProblem(text: string): string | undefined {
  const trimmed = text.trim();
  if (trimmed.length > SEARCH_MAX) return `A search is at most ${SEARCH_MAX} characters.`;
  if (trimmed.startsWith('#') && !/^#[0-9]+$/.test(trimmed)) return 'After # comes an asset id: digits only, e.g. #3.';
  return undefined;
}

function AssetCard({ asset, all }: { asset: PlazaAsset; all: readonly PlazaAsset[] }) {
  const free = asset.pricePerUseWei === '0';
  return (
    <li className="card" data-kind={asset.kind}>
      <div className="card-head">
        <span className={`badge kind-${asset.kind}`}>{KIND_NAMES[asset.kind] ?? asset.kind}</span>
        <h3>
          <a href={`#/asset/${asset.tokenId}`}>#{asset.tokenId}</a>
        </h3>
      </div>
      <dl className="facts">
        <dt>Price per use</dt>
        <dd>{free ? 'free' : `${formatAic(asset.pricePerUseWei)} AIC`}</dd>
        <dt>Owner</dt>
        <dd>
          <code className="nowrap" title={asset.owner}>
            {shortHex(asset.owner, 4)}
          </code>
        </dd>
        <dt>Licence</dt>
        <dd>{asset.licenseId}</dd>
        <dt>Use on chain</dt>
        <dd data-testid="card-standing">{standingText(asset)}</dd>
        <dt>Owner's PoV score</dt>
        <dd>{ownerPovText(asset)}</dd>
        {asset.kind === 'Model' || asset.kind === 'TrainedAI' ? (
          <>
            <dt>I/O</dt>
            <dd data-testid="card-io">{ioSummary(asset)}</dd>
          </>
        ) : null}
        {asset.kind === 'TrainedAI' ? (
          <>
            <dt>Evaluation</dt>
            <dd data-testid="card-evaluation">{evaluationSummary(asset)}</dd>
          </>
        ) : null}
        <dt>Manifest</dt>
        <dd>
          <code className="wrap" title={asset.manifestCid}>
            {asset.manifestCid.length > 28 ? `${asset.manifestCid.slice(0, 28)}…` : asset.manifestCid}
          </code>
        </dd>
        <dt>Lineage</dt>
        <dd>
          {asset.lineage.length === 0
            ? 'original'
            : asset.lineage.map((link, i) => (
                <span key={link.parentId}>
                  {i > 0 ? ', ' : 'from '}
                  <span className="nowrap">
                    #{link.parentId} ({link.shareBps / 100}&nbsp;%)
                  </span>
                </span>
              ))}
        </dd>
      </dl>
      {asset.lineage.length > 0 ? <LineageGraph asset={asset} all={all} /> : null}
      <a href={`#/asset/${asset.tokenId}`} className="card-link">
        {asset.kind === 'Dataset' ? 'Preview and buy' : 'Details and buy'}
        <span className="visually-hidden"> asset #{asset.tokenId}</span>
      </a>
    </li>
  );
}
