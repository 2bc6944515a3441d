/**
 * The coordinator's locality inputs (issue 12, "use the nearest data"): for a job's Dataset NFT, its real size (the
 * public manifest: the sum of its shards' bytes), its content root (the cache key every offer's
 * `cachedDatasetRoots` is matched against) and where its holders are (their Vivaldi coordinates). The allocator
 * then costs each offer's transfer time from those and puts the job on a provider that already holds the data when
 * prices are close. Every input is optional: what is missing makes the placement locality-blind, never blocks it.
 */
import type { Coordinate } from '@aic/allocator';
import { type AgentContext, errorLine } from './context.ts';

/** One node that can serve a dataset's encrypted shards, with the coordinate it announced (if any). */
export interface DatasetHolder {
  readonly peerId: string;
  readonly coordinate?: Coordinate | undefined;
}

/**
 * Who holds a dataset, as the node knows it. The node implements it from its holdings book (the signed
 * `aic/holdings/1` announcements: owner, Storage Vessel replicas, serving caches, each with its coordinate).
 */
export interface LocalityPort {
  datasetHolders(datasetId: string, signal?: AbortSignal): Promise<readonly DatasetHolder[]>;
}

/** What the allocator gets about a job's data. */
export interface JobLocality {
  /** The cache key: the Dataset NFT's content root (= the Data Vessel's dataset root), lower-case 0x hex. */
  readonly datasetRoot: string;
  /** The Dataset NFT id (decimal), which older offers list in `cachedDatasetIds`. */
  readonly datasetId: string;
  /** Size of the data a provider must fetch, MB (10⁶ bytes); 0 when unknown (then no transfer is costed). */
  readonly datasetMB: number;
  /** Coordinates of the dataset's holders (the nearest is used). */
  readonly dataSources: readonly Coordinate[];
}

/** How long one placement waits for the manifest or the holders (then it goes on without them). */
const LOCALITY_DEADLINE_MS = 10_000;

/** Bytes per element of the manifest's dtypes (`aic-dataset/1` has F32 and I32; anything else counts as 4). */
const DTYPE_BYTES: Readonly<Record<string, number>> = { F32: 4, I32: 4 };

/** The manifest fields a size is read from: shard byte lengths (a Data Vessel manifest has them), else the shapes. */
interface SizedManifest {
  readonly datasetRoot: string;
  readonly rows: number;
  readonly features: { readonly dtype: string; readonly shape: readonly number[] };
  readonly labels: { readonly dtype: string; readonly shape: readonly number[] };
  readonly shards?: readonly { readonly byteLength: number }[] | undefined;
}

/** Bytes a provider fetches for a dataset: the sum of its shards' byteLength, else rows × the bytes of one row. */
export function datasetBytesOf(manifest: SizedManifest): number {
  if (manifest.shards && manifest.shards.length > 0) return manifest.shards.reduce((a, s) => a + s.byteLength, 0);
  const tensorBytes = (t: SizedManifest['features']) =>
    (DTYPE_BYTES[t.dtype] ?? 4) * t.shape.reduce((a, n) => a * n, 1);
  return manifest.rows * (tensorBytes(manifest.features) + tensorBytes(manifest.labels));
}

/**
 * Reads a job's locality inputs. The manifest (size, root) is read once per dataset (it is immutable: its root is
 * on chain); holders are asked on every placement (they come and go).
 */
export class LocalityInputs {
  readonly #manifests = new Map<string, { datasetRoot: string; bytes: number }>();

  constructor(
    private readonly ctx: AgentContext,
    private readonly port?: LocalityPort,
  ) {}

  /** The job's locality, or undefined for a job without a dataset (id 0). */
  async of(datasetId: bigint, outer?: AbortSignal): Promise<JobLocality | undefined> {
    if (datasetId === 0n) return undefined;
    const id = datasetId.toString();
    const deadline = AbortSignal.timeout(LOCALITY_DEADLINE_MS);
    const signal = outer ? AbortSignal.any([outer, deadline]) : deadline;
    const known = await this.#manifest(id, signal);
    const dataSources = await this.#holders(id, signal);
    return { datasetId: id, datasetRoot: known.datasetRoot, datasetMB: known.bytes / 1e6, dataSources };
  }

  async #manifest(id: string, signal?: AbortSignal): Promise<{ datasetRoot: string; bytes: number }> {
    const cached = this.#manifests.get(id);
    if (cached) return cached;
    const onChain = (await this.ctx.ledger.registry.read.assetOf([BigInt(id)])).contentRoot.toLowerCase();
    let bytes = 0;
    const assets = this.ctx.assets;
    if (assets) {
      try {
        const manifest = (await assets.datasetManifest(id, signal)) as SizedManifest;
        // The port checks the manifest's root against the chain; a mismatch here means it did not: no size.
        if (manifest.datasetRoot.toLowerCase() === onChain) bytes = datasetBytesOf(manifest);
      } catch (error) {
        // Not cached as known: the next placement asks again (the manifest's holder may come back).
        this.ctx.log.warn({ datasetId: id, err: errorLine(error) }, 'dataset manifest unavailable; size unknown');
        return { datasetRoot: onChain, bytes: 0 };
      }
    }
    const known = { datasetRoot: onChain, bytes };
    if (assets) this.#manifests.set(id, known);
    return known;
  }

  async #holders(id: string, signal?: AbortSignal): Promise<Coordinate[]> {
    if (!this.port) return [];
    try {
      const holders = await this.port.datasetHolders(id, signal);
      return holders.flatMap((h) =>
        h.coordinate ? [{ vec: [...h.coordinate.vec], height: h.coordinate.height }] : [],
      );
    } catch (error) {
      this.ctx.log.warn({ datasetId: id, err: errorLine(error) }, 'dataset holders unavailable');
      return [];
    }
  }
}
