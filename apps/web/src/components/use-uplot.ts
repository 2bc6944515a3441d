import { type RefObject, useEffect, useRef } from 'react';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';

/**
 * One uPlot chart in `host`: created once with `options` (width follows the host, at least 280 px), resized with
 * it, destroyed on unmount, and given `data` on every render. The charts differ only in their options and data.
 */
export function useUPlot(
  host: RefObject<HTMLDivElement | null>,
  options: Omit<uPlot.Options, 'width' | 'height'>,
  height: number,
  data: uPlot.AlignedData,
): void {
  const plot = useRef<uPlot | null>(null);
  const initial = useRef({ options, data });

  useEffect(() => {
    const element = host.current;
    if (element === null) return;
    const { options: first, data: empty } = initial.current;
    const chart = new uPlot(
      { ...first, width: Math.max(280, element.clientWidth), height },
      empty.map(() => []) as unknown as uPlot.AlignedData,
      element,
    );
    plot.current = chart;
    const resize = new ResizeObserver(() => chart.setSize({ width: Math.max(280, element.clientWidth), height }));
    resize.observe(element);
    return () => {
      resize.disconnect();
      chart.destroy();
      plot.current = null;
    };
  }, [host, height]);

  useEffect(() => {
    plot.current?.setData(data);
  });
}
