/**
 * The locality bench's synthetic market: providers in network regions (Vivaldi coordinates in ms), hardware classes
 * at the throughput their class proves, prices at a few round levels per class (a market quotes round numbers, so
 * equal prices are common), reputations from integer histories, datasets of very different sizes with their
 * owner and replicas as holders, Zipf popularity, and worker caches filled by past jobs.
 */
import { type Coordinate, seededUniforms } from '@aic/allocator';
import { ByteLru } from './lru.ts';

const GB = 1e9;

export interface SimProvider {
  readonly id: string;
  readonly hwClass: number;
  readonly tflops: number;
  readonly pricePerHour: number;
  readonly reputation: number;
  readonly coordinate: Coordinate;
  readonly bandwidthMBps: number;
  readonly slots: number;
  readonly cache: ByteLru;
}

export interface SimDataset {
  readonly key: string;
  readonly bytes: number;
  readonly holders: readonly Coordinate[];
  /** Cumulative popularity (Zipf), for drawing. */
  readonly cumulative: number;
}

export interface SimJob {
  readonly id: string;
  readonly minHwClass: number;
  readonly workTflop: number;
  readonly dataset: SimDataset;
  /** How many ticks it runs once placed. */
  readonly ticks: number;
}

/** Class → proven TFLOP/s floor (what the coordinator costs an offer with) and base price, AIC/h. */
const CLASSES = [
  { tflops: 0.0002, price: 0.05 },
  { tflops: 2, price: 0.6 },
  { tflops: 5, price: 1.2 },
  { tflops: 10, price: 2.5 },
] as const;
const PRICE_LEVELS = [1, 1, 1, 1.05, 1.05, 1.1, 1.2]; // round quotes: most at the going rate

const REGIONS: Coordinate[] = [
  { vec: [0, 0, 0], height: 1 },
  { vec: [70, 10, 0], height: 2 },
  { vec: [-60, 60, 5], height: 2 },
  { vec: [20, -110, 10], height: 3 },
  { vec: [140, 80, -20], height: 4 },
  { vec: [-130, -40, 30], height: 3 },
];

function near(u: () => number, region: Coordinate, spread: number): Coordinate {
  return { vec: region.vec.map((x) => x + (u() - 0.5) * spread), height: region.height + u() * 2 };
}

export function syntheticDatasets(count: number, seed: bigint): SimDataset[] {
  const u = seededUniforms(seed, 'datasets');
  const weights = Array.from({ length: count }, (_, i) => 1 / (i + 1)); // Zipf, s = 1
  const sum = weights.reduce((a, w) => a + w, 0);
  let acc = 0;
  return weights.map((w, i) => {
    acc += w / sum;
    // Log-uniform 50 MB … 100 GB: a few huge datasets carry most bytes, as in practice.
    const bytes = Math.round(50e6 * 2_000 ** u());
    const replicas = 1 + Math.floor(u() * 3);
    const holders = Array.from({ length: replicas }, () => near(u, REGIONS[Math.floor(u() * REGIONS.length)]!, 10));
    return { key: `dataset-${i}`, bytes, holders, cumulative: i === count - 1 ? 1 : acc };
  });
}

/**
 * `prices: 'levels'` quotes at round levels of the class's going rate (×1, 1.05, 1.1, 1.2); 'continuous' draws each
 * price uniformly within ±10 % of it (almost no two equal), the harder case for locality.
 */
export function syntheticProviders(
  count: number,
  datasets: readonly SimDataset[],
  seed: bigint,
  prices: 'levels' | 'continuous' = 'levels',
): SimProvider[] {
  const u = seededUniforms(seed, 'providers');
  return Array.from({ length: count }, (_, i) => {
    const hwClass = u() < 0.2 ? 0 : u() < 0.5 ? 1 : u() < 0.75 ? 2 : 3;
    const spec = CLASSES[hwClass]!;
    const level = PRICE_LEVELS[Math.floor(u() * PRICE_LEVELS.length)]!;
    const spread = 0.9 + 0.2 * u();
    const history = Math.floor(-Math.log(1 - u()) * 6); // settled jobs, geometric-ish
    const cache = new ByteLru((20 + 180 * u()) * GB);
    // Past jobs left datasets in the cache, popular ones more often.
    for (let k = 0; k < 12; k++) {
      const d = drawDataset(datasets, u());
      cache.add(d.key, d.bytes);
    }
    return {
      id: `provider-${i}`,
      hwClass,
      tflops: spec.tflops,
      pricePerHour: spec.price * (prices === 'levels' ? level : spread),
      reputation: history / (history + 1),
      coordinate: near(u, REGIONS[Math.floor(u() * REGIONS.length)]!, 20),
      bandwidthMBps: 100,
      slots: 1 + Math.floor(u() * 4),
      cache,
    };
  });
}

export function syntheticJobs(count: number, datasets: readonly SimDataset[], seed: bigint): SimJob[] {
  const u = seededUniforms(seed, 'jobs');
  return Array.from({ length: count }, (_, i) => {
    const minHwClass = u() < 0.25 ? 0 : u() < 0.6 ? 1 : u() < 0.85 ? 2 : 3;
    const hours = 0.2 + 4 * u() * u();
    return {
      id: `job-${i}`,
      minHwClass,
      workTflop: CLASSES[Math.max(1, minHwClass)]!.tflops * hours * 3_600,
      dataset: drawDataset(datasets, u()),
      ticks: 10 + Math.floor(u() * 90),
    };
  });
}

export function drawDataset(datasets: readonly SimDataset[], x: number): SimDataset {
  let lo = 0;
  let hi = datasets.length - 1;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (datasets[mid]!.cumulative < x) lo = mid + 1;
    else hi = mid;
  }
  return datasets[lo]!;
}
