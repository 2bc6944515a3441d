/** The earnings chart's data (pure): cumulative AIC per source against block time, one point per second. */
import type { RouteResponse } from '../api.ts';

export type Earnings = RouteResponse<'accountEarnings'>;
export const SOURCES = ['compute', 'verification', 'data', 'model', 'storage', 'rewards'] as const;
export type Source = (typeof SOURCES)[number];

export const SOURCE_LABEL: Record<Source, string> = {
  compute: 'Compute',
  verification: 'Verification',
  data: 'Data',
  model: 'Models',
  storage: 'Storage',
  rewards: 'PoV rewards',
};

/** Wei text → AIC as a float, for plotting only (amounts shown as text never go through floats). */
export function weiToAicNumber(wei: string): number {
  const value = BigInt(wei);
  return Number(value / 10n ** 14n) / 10_000;
}

/** [times, ...one cumulative series per source]; points of the same second collapse to the last (uPlot needs x increasing). */
export function earningsSeries(series: Earnings['series']): [number[], ...number[][]] {
  const times: number[] = [];
  const columns: number[][] = SOURCES.map(() => []);
  for (const point of series) {
    const same = times.length > 0 && times[times.length - 1] === point.time;
    if (!same) times.push(point.time);
    SOURCES.forEach((source, i) => {
      const column = columns[i]!;
      if (same) column[column.length - 1] = weiToAicNumber(point[source]);
      else column.push(weiToAicNumber(point[source]));
    });
  }
  // Start from zero a minute before the first payment, and give a single instant some width: a step chart then shows
  // each rise instead of a lone point on an axis that spans years.
  const first = times[0];
  const last = times[times.length - 1];
  if (first !== undefined && last !== undefined) {
    times.unshift(first - 60);
    for (const column of columns) column.unshift(0);
    if (first === last) {
      times.push(last + 60);
      for (const column of columns) column.push(column[column.length - 1] ?? 0);
    }
  }
  return [times, ...columns];
}
