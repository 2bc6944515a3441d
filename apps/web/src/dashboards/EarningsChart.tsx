import { useRef } from 'react';
import uPlot from 'uplot';
import { useUPlot } from '../components/use-uplot.ts';
import { type Earnings, earningsSeries, SOURCE_LABEL, SOURCES } from './earnings-series.ts';

// Earnings change at payments and stay flat in between: a step line, not a slope.
const stepped = uPlot.paths.stepped?.({ align: 1 });
const COLORS = ['#d9480f', '#7048e8', '#1971c2', '#2b8a3e', '#e67700', '#c2255c'];

/** Cumulative earnings per source over block time (uPlot). */
export function EarningsChart({ series }: { series: Earnings['series'] }) {
  const host = useRef<HTMLDivElement>(null);
  const data = earningsSeries(series);

  useUPlot(
    host,
    {
      legend: { live: false },
      axes: [
        { stroke: 'currentColor', grid: { stroke: 'rgba(127,127,127,0.2)' } },
        { label: 'AIC', stroke: 'currentColor', grid: { stroke: 'rgba(127,127,127,0.2)' } },
      ],
      series: [
        { label: 'time' },
        ...SOURCES.map((source, i) => ({
          label: SOURCE_LABEL[source],
          stroke: COLORS[i] ?? '#888',
          width: 2,
          ...(stepped === undefined ? {} : { paths: stepped }),
        })),
      ],
    },
    240,
    data as uPlot.AlignedData,
  );

  return (
    <figure className="chart">
      <div
        ref={host}
        data-testid="earnings-chart"
        data-points={series.length}
        role="img"
        aria-label="Earnings over time by source"
      />
      <figcaption className="muted">
        {data[0].length === 0
          ? 'No earnings on the chain yet.'
          : `Cumulative earnings after each of ${series.length} payments, by source.`}
      </figcaption>
    </figure>
  );
}
