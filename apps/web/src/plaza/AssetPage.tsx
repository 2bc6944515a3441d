import { useQuery } from '@tanstack/react-query';
import { apiGet, type PlazaAsset } from '../api.ts';
import { LineageGraph } from '../components/LineageGraph.tsx';
import { QueryState } from '../components/QueryState.tsx';
import { formatAic, shortHex } from '../format.ts';
import { EvaluationSection, ModelIoSection, ownerPovText, standingText } from './AssetExtras.tsx';
import { BuyPanel } from './BuyPanel.tsx';
import { DatasetPreview } from './DatasetPreview.tsx';
import './plaza.css';

const KIND_NAMES: Record<string, string> = {
  Dataset: 'Dataset',
  Model: 'Model',
  TrainedAI: 'Trained AI',
  Data: 'Data',
};
/** Bit 0 of a Dataset NFT's licenceId (apps/node/src/data/release-rule.ts). */
const licenceText = (asset: PlazaAsset) =>
  asset.kind === 'Dataset'
    ? (asset.licenseId & 1) === 1
      ? `#${asset.licenseId}: a usage right allows download`
      : `#${asset.licenseId}: used inside compute jobs only`
    : `#${asset.licenseId}`;

/** `#/asset/<id>`: one PLAZA asset with its facts, lineage graph, dataset manifest and preview, and purchase. */
export default function AssetPage({ id }: { id: string }) {
  const assets = useQuery({
    queryKey: ['plazaAssets'],
    queryFn: ({ signal }) => apiGet('plazaAssets', '/v1/plaza/assets', { limit: 200 }, signal),
  });
  return (
    <QueryState isPending={assets.isPending} error={assets.error} what="the asset">
      {() => {
        const all = assets.data?.assets ?? [];
        const asset = all.find((a) => a.tokenId === id);
        if (asset === undefined) {
          return (
            <section>
              <h1>Asset #{id}</h1>
              <p className="notice" role="alert">
                There is no asset #{id} among the newest {all.length} on this chain. Go back to{' '}
                <a href="#/plaza">PLAZA</a>.
              </p>
            </section>
          );
        }
        return <AssetView asset={asset} all={all} />;
      }}
    </QueryState>
  );
}

function AssetView({ asset, all }: { asset: PlazaAsset; all: PlazaAsset[] }) {
  const isDataset = asset.kind === 'Dataset';
  const manifest = useQuery({
    queryKey: ['datasetManifest', asset.tokenId],
    queryFn: ({ signal }) => apiGet('datasetManifest', '/v1/datasets/manifest', { datasetId: asset.tokenId }, signal),
    enabled: isDataset,
    retry: false,
    staleTime: Number.POSITIVE_INFINITY,
  });
  const m = manifest.data?.manifest as DatasetManifestView | undefined;
  return (
    <>
      <section aria-labelledby="asset-title" data-testid="asset-page">
        <p>
          <a href="#/plaza">← PLAZA</a>
        </p>
        <div className="card-head asset-head">
          <span className={`badge kind-${asset.kind}`}>{KIND_NAMES[asset.kind] ?? asset.kind}</span>
          <h1 id="asset-title">
            #{asset.tokenId}
            {m?.name ? ` ${m.name}` : ''}
          </h1>
        </div>
        {m?.description ? <p>{m.description}</p> : null}
        <dl className="facts wide" data-testid="asset-facts">
          <dt>Price per use</dt>
          <dd>{asset.pricePerUseWei === '0' ? 'free' : `${formatAic(asset.pricePerUseWei)} AIC`}</dd>
          <dt>Owner</dt>
          <dd>
            <code title={asset.owner}>{shortHex(asset.owner, 6)}</code>
          </dd>
          <dt>Licence</dt>
          <dd>
            {licenceText(asset)}
            {m?.license ? ` (${m.license})` : ''}
          </dd>
          <dt>Use on chain</dt>
          <dd data-testid="asset-standing">{standingText(asset)}</dd>
          <dt>Owner's Proof-of-Value score</dt>
          <dd>{ownerPovText(asset)}</dd>
          <dt>Content root</dt>
          <dd>
            <code className="wrap">{asset.contentRoot}</code>
          </dd>
          <dt>Manifest</dt>
          <dd>
            <code className="wrap">{asset.manifestCid}</code>
          </dd>
          <dt>Owners so far</dt>
          <dd>{asset.transferCount}</dd>
        </dl>
      </section>
      <section aria-labelledby="lineage-title">
        <h2 id="lineage-title">Lineage</h2>
        <LineageGraph asset={asset} all={all} />
      </section>
      {isDataset ? (
        <section aria-labelledby="schema-title">
          <h2 id="schema-title">Task and schema</h2>
          {manifest.error ? (
            <p className="notice">
              The manifest is not reachable from this node right now (no holder announced it), so its schema is not
              shown.
            </p>
          ) : m === undefined ? (
            <p className="muted">Loading the manifest…</p>
          ) : (
            <ManifestFacts manifest={m} />
          )}
        </section>
      ) : null}
      {asset.kind === 'Model' || asset.kind === 'TrainedAI' ? <ModelIoSection asset={asset} /> : null}
      {asset.kind === 'TrainedAI' ? <EvaluationSection asset={asset} /> : null}
      {isDataset ? (
        <section aria-labelledby="preview-title">
          <h2 id="preview-title">Verifiable random preview</h2>
          <p className="muted">
            Rows drawn by the hash of the block after the mint, each chunk with its Merkle proof, checked here in the
            browser against the dataset’s on-chain root.
          </p>
          <DatasetPreview asset={asset} classes={m?.classes} />
        </section>
      ) : null}
      <section aria-labelledby="buy-title">
        <h2 id="buy-title">Buy</h2>
        <BuyPanel asset={asset} />
      </section>
    </>
  );
}

interface DatasetManifestView {
  name?: string;
  description?: string;
  task?: string;
  rows?: number;
  license?: string;
  sourceKind?: string;
  features?: { dtype?: string; shape?: number[]; names?: string[] };
  labels?: { dtype?: string; shape?: number[] };
  classes?: string[];
  split?: { trainRows?: number; testRows?: number };
}

function ManifestFacts({ manifest }: { manifest: DatasetManifestView }) {
  const names = manifest.features?.names ?? [];
  return (
    <dl className="facts wide" data-testid="manifest-facts">
      <dt>Task</dt>
      <dd>{manifest.task ?? 'unknown'}</dd>
      <dt>Rows</dt>
      <dd>
        {manifest.rows ?? '?'} ({manifest.split?.trainRows ?? '?'} train, {manifest.split?.testRows ?? '?'} test)
      </dd>
      <dt>Source</dt>
      <dd>{manifest.sourceKind ?? 'unknown'}</dd>
      <dt>Inputs</dt>
      <dd>
        {manifest.features?.dtype} [{(manifest.features?.shape ?? []).join(' × ')}]
        {names.length > 0 ? `: ${names.slice(0, 12).join(', ')}${names.length > 12 ? ' …' : ''}` : ''}
      </dd>
      <dt>Output</dt>
      <dd>
        {manifest.labels?.dtype} [{(manifest.labels?.shape ?? []).join(' × ')}]
        {manifest.classes ? `: ${manifest.classes.length} classes (${manifest.classes.slice(0, 10).join(', ')})` : ''}
      </dd>
    </dl>
  );
}
