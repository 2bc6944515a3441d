import { useEffect, useRef } from 'react';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import type { JobLogs } from '../api.ts';

type Line = JobLogs['lines'][number];

/** Loss (left axis) and accuracy (right axis, 0-1) against the training step, redrawn as lines arrive. */
export function ProgressChart({ lines }: { lines: Line[] }) {
  const host = useRef<HTMLDivElement>(null);
  const plot = useRef<uPlot | null>(null);
  const data = toSeries(lines);

  useEffect(() => {
    const element = host.current;
    if (element === null) return;
    const chart = new uPlot(
      {
        width: Math.max(280, element.clientWidth),
        height: 260,
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
      [[], [], []],
      element,
    );
    plot.current = chart;
    const resize = new ResizeObserver(() => chart.setSize({ width: Math.max(280, element.clientWidth), height: 260 }));
    resize.observe(element);
    return () => {
      resize.disconnect();
      chart.destroy();
      plot.current = null;
    };
  }, []);

  useEffect(() => {
    plot.current?.setData(data);
  });

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
