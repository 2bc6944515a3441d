import type { PlazaAsset } from '../api.ts';

const KIND_SHORT: Record<string, string> = {
  Dataset: 'Dataset',
  Model: 'Model',
  TrainedAI: 'Trained AI',
  Data: 'Data',
};
const BOX_W = 110;
const BOX_H = 36;
const GAP_Y = 12;

interface Box {
  asset: Pick<PlazaAsset, 'tokenId' | 'kind'>;
  x: number;
  y: number;
  label?: string;
}

/**
 * An asset's lineage as a small inline SVG: its parents (with the share of income each receives) on the left, the
 * asset in the middle, the assets derived from it on the right. A text list says the same for screen readers.
 */
export function LineageGraph({ asset, all }: { asset: PlazaAsset; all: readonly PlazaAsset[] }) {
  const byId = new Map(all.map((a) => [a.tokenId, a]));
  const parents = asset.lineage.map((link) => ({
    asset: byId.get(link.parentId) ?? { tokenId: link.parentId, kind: 'Data' as const },
    label: `${link.shareBps / 100} %`,
  }));
  const children = all
    .filter((a) => a.lineage.some((l) => l.parentId === asset.tokenId))
    .map((a) => ({
      asset: a,
      label: `${(a.lineage.find((l) => l.parentId === asset.tokenId)?.shareBps ?? 0) / 100} %`,
    }));
  const rows = Math.max(1, parents.length, children.length);
  const height = rows * (BOX_H + GAP_Y) + GAP_Y;
  const column = (items: typeof parents, x: number): Box[] => {
    const top = (height - items.length * (BOX_H + GAP_Y) + GAP_Y) / 2;
    return items.map((item, i) => ({ ...item, x, y: top + i * (BOX_H + GAP_Y) }));
  };
  const centre: Box = { asset, x: 165, y: (height - BOX_H) / 2 };
  const left = column(parents, 10);
  const right = column(children, 320);
  const summary =
    parents.length === 0 && children.length === 0
      ? `#${asset.tokenId} is an original asset with no parents and nothing derived from it yet.`
      : [
          parents.length === 0
            ? `#${asset.tokenId} has no parents`
            : `#${asset.tokenId} derives from ${parents.map((p) => `#${p.asset.tokenId} (${p.label})`).join(', ')}`,
          children.length === 0 ? '' : `; derived from it: ${children.map((c) => `#${c.asset.tokenId}`).join(', ')}`,
        ].join('');
  return (
    <figure className="lineage" data-testid="lineage-graph">
      <svg viewBox={`0 0 440 ${height}`} width="100%" role="img" aria-label={summary}>
        <defs>
          <marker
            id={`arrow-${asset.tokenId}`}
            viewBox="0 0 8 8"
            refX="8"
            refY="4"
            markerWidth="6"
            markerHeight="6"
            orient="auto"
          >
            <path d="M0,0 L8,4 L0,8 z" fill="currentColor" />
          </marker>
        </defs>
        {left.map((box) => (
          <Edge key={`p${box.asset.tokenId}`} from={box} to={centre} label={box.label} marker={asset.tokenId} />
        ))}
        {right.map((box) => (
          <Edge key={`c${box.asset.tokenId}`} from={centre} to={box} label={box.label} marker={asset.tokenId} />
        ))}
        {[...left, centre, ...right].map((box) => (
          <g key={`${box.x}-${box.asset.tokenId}`} className={box === centre ? 'lineage-node focus' : 'lineage-node'}>
            <rect x={box.x} y={box.y} width={BOX_W} height={BOX_H} rx={6} />
            <text x={box.x + BOX_W / 2} y={box.y + 15} textAnchor="middle">
              #{box.asset.tokenId}
            </text>
            <text x={box.x + BOX_W / 2} y={box.y + 29} textAnchor="middle" className="small">
              {KIND_SHORT[box.asset.kind] ?? box.asset.kind}
            </text>
          </g>
        ))}
      </svg>
      <figcaption className="muted">{summary}</figcaption>
    </figure>
  );
}

function Edge({ from, to, label, marker }: { from: Box; to: Box; label: string | undefined; marker: string }) {
  const x1 = from.x + BOX_W;
  const y1 = from.y + BOX_H / 2;
  const x2 = to.x;
  const y2 = to.y + BOX_H / 2;
  return (
    <g className="lineage-edge">
      <line x1={x1} y1={y1} x2={x2} y2={y2} markerEnd={`url(#arrow-${marker})`} />
      {label === undefined ? null : (
        <text x={(x1 + x2) / 2} y={(y1 + y2) / 2 - 4} textAnchor="middle" className="small">
          {label}
        </text>
      )}
    </g>
  );
}
