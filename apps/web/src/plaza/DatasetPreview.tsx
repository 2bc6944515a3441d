import { useQuery } from '@tanstack/react-query';
import { ApiError, apiGet, type PlazaAsset } from '../api.ts';
import { describeError } from '../components/QueryState.tsx';
import { shortHex } from '../format.ts';
import { registryAbi } from './plaza-abi.ts';
import { type PreviewVerdict, verifyPreviewInBrowser } from './verify-preview.ts';
import { walletChain } from './wallet-chain.ts';

/** Where the root the proofs were checked against came from. */
type RootSource = { root: string; from: 'wallet' | 'node'; blockHashChecked: boolean; note?: string };

/**
 * The content root to check against: read from the chain through the member's own wallet when one is injected and on
 * the node's chain (the node is then trusted for nothing), else the root this node read from the AssetRegistry.
 */
async function onChainRoot(asset: PlazaAsset, seedBlock: string, blockHash: string): Promise<RootSource> {
  try {
    const contracts = await apiGet('plazaContracts', '/v1/plaza/contracts');
    const wallet = await walletChain(contracts.chainId);
    if (wallet === undefined) return { root: asset.contentRoot, from: 'node', blockHashChecked: false };
    if (wallet.chainId !== contracts.chainId) {
      return {
        root: asset.contentRoot,
        from: 'node',
        blockHashChecked: false,
        note: `the wallet is on chain ${wallet.chainId}, not ${contracts.chainId}`,
      };
    }
    const onChain = await wallet.publicClient.readContract({
      address: contracts.registry as `0x${string}`,
      abi: registryAbi,
      functionName: 'assetOf',
      args: [BigInt(asset.tokenId)],
    });
    const block = await wallet.publicClient.getBlock({ blockNumber: BigInt(seedBlock) });
    return {
      root: onChain.contentRoot,
      from: 'wallet',
      blockHashChecked: block.hash === blockHash,
      ...(block.hash === blockHash ? {} : { note: `the chain's block ${seedBlock} is ${block.hash}` }),
    };
  } catch (cause) {
    return { root: asset.contentRoot, from: 'node', blockHashChecked: false, note: describeError(cause) };
  }
}

export function DatasetPreview({ asset, classes }: { asset: PlazaAsset; classes: readonly string[] | undefined }) {
  const preview = useQuery({
    queryKey: ['datasetPreview', asset.tokenId],
    queryFn: async ({ signal }) => {
      const response = await apiGet('datasetPreview', '/v1/datasets/preview', { datasetId: asset.tokenId }, signal);
      const source = await onChainRoot(asset, response.seedBlock, response.blockHash);
      // Verified here, in the browser, with @noble/hashes: nothing the node said about the rows is taken on trust.
      return { response, source, verdict: verifyPreviewInBrowser(response, source.root) };
    },
    retry: false,
    staleTime: Number.POSITIVE_INFINITY,
  });
  if (preview.error) {
    const notHere = preview.error instanceof ApiError && preview.error.code === 'DATASET_PREVIEW_NOT_HELD';
    return (
      <p className="notice" role={notHere ? undefined : 'alert'} data-testid="preview-unavailable">
        {notHere
          ? 'This node does not hold this dataset as its owner: only the owner’s node serves its preview.'
          : `Could not load the preview. ${describeError(preview.error)}`}
      </p>
    );
  }
  if (preview.isPending) return <p className="muted">Loading the preview and checking its proofs…</p>;
  const { response, source, verdict } = preview.data;
  const names = response.features.names;
  const labelName = (label: number | undefined) =>
    label === undefined ? '' : ((response.classes ?? classes)?.[label] ?? String(label));
  return (
    <div data-testid="dataset-preview">
      <PreviewSummary verdict={verdict} source={source} seed={response.seed} seedBlock={response.seedBlock} />
      {/* biome-ignore lint/a11y/noNoninteractiveTabindex: a scrollable region needs focus (WCAG 2.1.1) */}
      <section className="table-scroll" aria-label="Preview rows" tabIndex={0}>
        <table data-testid="preview-rows">
          <thead>
            <tr>
              <th scope="col" className="num">
                Row
              </th>
              <th scope="col">Proof</th>
              <th scope="col">Label</th>
              <th scope="col">Features</th>
            </tr>
          </thead>
          <tbody>
            {verdict.rows.map((row) => (
              <tr key={row.row} data-verified={row.verified}>
                <td className="num">{row.row}</td>
                <td>
                  {row.verified ? (
                    <span className="badge ok">✓ verified</span>
                  ) : (
                    <span className="badge bad" title={row.reason}>
                      ✗ not verified
                    </span>
                  )}
                  {row.verified ? null : <span className="visually-hidden"> ({row.reason})</span>}
                </td>
                <td>{labelName(row.labels[0])}</td>
                <td className="features">
                  {row.features
                    .slice(0, 6)
                    .map((v, i) => `${names?.[i] ? `${names[i]}=` : ''}${Number.isInteger(v) ? v : v.toFixed(3)}`)
                    .join(', ')}
                  {row.features.length > 6 ? ` … (${row.features.length})` : ''}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </section>
    </div>
  );
}

function PreviewSummary({
  verdict,
  source,
  seed,
  seedBlock,
}: {
  verdict: PreviewVerdict;
  source: RootSource;
  seed: string;
  seedBlock: string;
}) {
  const verifiedCount = verdict.rows.filter((r) => r.verified).length;
  return (
    <>
      <p className={verdict.allVerified ? 'notice ok' : 'notice error'} role="status" data-testid="preview-verdict">
        {verdict.allVerified
          ? `All ${verdict.rows.length} rows verified in this browser against the on-chain root.`
          : `${verifiedCount} of ${verdict.rows.length} rows verified: the preview is not verified.`}
        {verdict.tableMatchesRoot ? '' : ' The shard table does not hash to the on-chain root.'}
        {verdict.selectionMatches ? '' : ' The rows are not the ones the seed selects.'}
      </p>
      <dl className="facts wide">
        <dt>Seed</dt>
        <dd>
          <code className="wrap" data-testid="preview-seed">
            {verdict.seed}
          </code>
          {verdict.seed === seed ? '' : ' (the node claimed another seed)'}
        </dd>
        <dt>Seed block</dt>
        <dd>
          #{seedBlock}, the block after the mint{source.blockHashChecked ? ' (hash checked through the wallet)' : ''}
        </dd>
        <dt>Root</dt>
        <dd>
          <code title={source.root}>{shortHex(source.root, 8)}</code>{' '}
          {source.from === 'wallet'
            ? 'read from the chain through your wallet'
            : 'as this node read it from the chain (connect a wallet to read it yourself)'}
          {source.note === undefined ? '' : ` — ${source.note}`}
        </dd>
      </dl>
    </>
  );
}
