/**
 * The provider's side of locality (issue 12): which datasets its worker cache holds, so its offers can list them
 * (`cachedDatasetRoots`, `cachedDatasetIds`) and the coordinator can send it the jobs on those datasets. A bounded
 * LRU of datasets (not shards: the shard cache below it evicts by bytes), fed by every dataset the node
 * materializes for a job, optionally checked against the shard cache on every listing, and kept on disk so it
 * survives a restart like the shard cache does.
 */
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { MAX_CACHED_DATASET_ROOTS } from '@aic/network';
import { z } from 'zod';
import type { JobAssetPort, JobDatasetManifest } from '../jobs/asset-port.ts';

export interface CachedDataset {
  /** Dataset NFT id (decimal). */
  readonly datasetId: string;
  /** The dataset root (the NFT's contentRoot), lower-case 0x hex. */
  readonly datasetRoot: `0x${string}`;
  /** Its shards' roots (from the manifest), so `stillCached` can ask the shard cache about each. */
  readonly shardRoots?: readonly `0x${string}`[] | undefined;
}

export interface CachedDatasetsInit {
  /** Where the list is kept (absent: memory only). */
  file?: string;
  /** At most this many datasets are listed (default and ceiling: what an offer may carry). */
  max?: number;
  /**
   * Whether a dataset is still fully in the worker's cache, e.g.
   * `(d) => d.shardRoots?.every((r) => shardCache.has(r)) ?? false` over the node's verified shard cache.
   */
  stillCached?: (dataset: CachedDataset) => boolean;
}

const root = z
  .string()
  .regex(/^0x[0-9a-f]{64}$/)
  .transform((s) => s as `0x${string}`);
const fileSchema = z.array(
  z.strictObject({
    datasetId: z.string().regex(/^[0-9]{1,20}$/),
    datasetRoot: root,
    shardRoots: z.array(root).max(100_000).optional(),
  }),
);

/** The provider's cached datasets, least recently used first. */
export class CachedDatasets {
  readonly #byRoot = new Map<string, CachedDataset>();
  readonly #max: number;
  #writing: Promise<void> = Promise.resolve();

  private constructor(private readonly init: CachedDatasetsInit) {
    this.#max = Math.min(init.max ?? MAX_CACHED_DATASET_ROOTS, MAX_CACHED_DATASET_ROOTS);
  }

  /** Opens the list (a missing or unreadable file starts empty: the list is a hint, the shard cache is the truth). */
  static async open(init: CachedDatasetsInit = {}): Promise<CachedDatasets> {
    const list = new CachedDatasets(init);
    if (init.file) {
      const text = await readFile(init.file, 'utf8').catch(() => undefined);
      const parsed = text === undefined ? undefined : fileSchema.safeParse(safeJson(text));
      for (const d of parsed?.success ? parsed.data : []) list.#remember(d);
    }
    return list;
  }

  /** Records a dataset just materialized (or used again): most recently used now. */
  async record(dataset: CachedDataset): Promise<void> {
    const lower = (r: string) => r.toLowerCase() as `0x${string}`;
    this.#remember({
      datasetId: dataset.datasetId,
      datasetRoot: lower(dataset.datasetRoot),
      ...(dataset.shardRoots ? { shardRoots: dataset.shardRoots.map(lower) } : {}),
    });
    await this.#save();
  }

  /** The datasets still cached, least recently used first. */
  list(): CachedDataset[] {
    const check = this.init.stillCached;
    return [...this.#byRoot.values()].filter((d) => !check || check(d));
  }

  /** The offer's locality fields, read on every publish. */
  offerFields(): { cachedDatasetIds: string[]; cachedDatasetRoots: `0x${string}`[] } {
    const list = this.list();
    return { cachedDatasetIds: list.map((d) => d.datasetId), cachedDatasetRoots: list.map((d) => d.datasetRoot) };
  }

  #remember(dataset: CachedDataset): void {
    this.#byRoot.delete(dataset.datasetRoot);
    this.#byRoot.set(dataset.datasetRoot, dataset);
    while (this.#byRoot.size > this.#max) this.#byRoot.delete(this.#byRoot.keys().next().value as string);
  }

  /** Atomic write (temp file + rename), one at a time. */
  async #save(): Promise<void> {
    const file = this.init.file;
    if (!file) return;
    const text = JSON.stringify([...this.#byRoot.values()]);
    this.#writing = this.#writing.then(async () => {
      await mkdir(dirname(file), { recursive: true });
      await writeFile(`${file}.tmp`, text);
      await rename(`${file}.tmp`, file);
    });
    await this.#writing;
  }
}

/**
 * The node's asset port, recording every dataset it materializes in `cached` (root from the dataset's manifest,
 * which the port checks against the chain). The node passes this wrapper to the job roles.
 */
export function recordingMaterialized(port: JobAssetPort, cached: CachedDatasets): JobAssetPort {
  return {
    datasetManifest: (datasetId, signal) => port.datasetManifest(datasetId, signal),
    modelManifest: (modelId, signal) => port.modelManifest(modelId, signal),
    async materializeDataset(request) {
      const done = await port.materializeDataset(request);
      const manifest = (await port.datasetManifest(request.datasetId, request.signal)) as JobDatasetManifest & {
        shards?: readonly { root: string }[];
      };
      const shardRoots = manifest.shards?.map((s) => s.root as `0x${string}`);
      await cached.record({
        datasetId: request.datasetId,
        datasetRoot: manifest.datasetRoot,
        ...(shardRoots ? { shardRoots } : {}),
      });
      return done;
    },
  };
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
