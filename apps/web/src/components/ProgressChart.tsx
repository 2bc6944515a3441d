import { useRef } from 'react';
import type uPlot from 'uplot';
import type { JobLogs } from '../api.ts';
import { useUPlot } from './use-uplot.ts';

type Line = JobLogs['lines'][number];

/** Loss (left axis) and accuracy (right axis, 0-1) against the training step, redrawn as lines arrive. */
export function ProgressChart({ lines }: { lines: Line[] }) {
  const host = useRef<HTMLDivElement>(null);
  const data = toSeries(lines);

  useUPlot(
    host,
    {
      // Loss from 0 up, whatever arrived first: a falling loss stays in view as later points come in.
      scales: {
        x: { time: false },
        y: { range: (_u, _min, max) => [0, max !== null && max > 0 ? max * 1.1 : 1] },
        acc: { range: [0, 1] },
      },
      axes: [
        { label: 'step', stroke: 'currentColor', grid: { stroke: 'rgba(127,127,127,0.2)' } },
        { label: 'loss', stroke: 'currentColor', grid: { stroke: 'rgba(127,127,127,0.2)' } },
        { label: 'accuracy', scale: 'acc', side: 1, stroke: 'currentColor', grid: { show: false } },
      ],
      series: [
        { label: 'step' },
        { label: 'loss', stroke: '#d9480f', width: 2, spanGaps: true },
        { label: 'accuracy', scale: 'acc', stroke: '#1971c2', width: 2, spanGaps: true },
      ],
    },
    260,
    data,
  );

  return (
    <figure className="chart">
      <div ref={host} data-testid="progress-chart" data-points={lines.length} />
      <figcaption className="muted">
        {lines.length === 0 ? 'No progress reported yet.' : `${lines.length} progress reports from the provider.`}
      </figcaption>
    </figure>
  );
}

function toSeries(lines: Line[]): uPlot.AlignedData {
  const sorted = [...lines].sort((a, b) => a.step - b.step);
  return [sorted.map((l) => l.step), sorted.map((l) => l.loss ?? null), sorted.map((l) => l.accuracy ?? null)];
}
