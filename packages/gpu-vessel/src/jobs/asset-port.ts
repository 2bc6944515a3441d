/**
 * What the job roles need from the node's data role to run a job named by asset ids (open market, issue 12): the
 * dataset's public manifest, its plaintext shards materialized inside the job's sandbox directory, and a model's
 * exact manifest bytes. The node implements it (apps/node/src/data/) over its ContentStore, the holdings book and
 * the Data Vessel's chunk exchange and key release; the GPU Vessel only states the shape, so it does not depend on
 * the Data Vessel (same layer). Every method checks what it returns against the chain where it can: the dataset
 * manifest's `datasetRoot` against the Dataset NFT's contentRoot, every shard chunk against that root. The model
 * bytes are checked by the caller (keccak256 == the Model NFT's contentRoot), so a port that lies is caught.
 */

/** One tensor column of every row, as the Data Vessel's manifest (`aic-dataset/1`) describes it. */
export interface JobDatasetTensor {
  readonly dtype: string;
  /** Per-row shape (without the row dimension). */
  readonly shape: readonly number[];
}

/**
 * The parts of a Data Vessel dataset manifest (`aic-dataset/1`) a job needs: its shapes, task, classes and split.
 * Structural on purpose: the Data Vessel's `DatasetManifest` is one.
 */
export interface JobDatasetManifest {
  readonly task: 'classification' | 'regression';
  readonly features: JobDatasetTensor;
  readonly labels: JobDatasetTensor;
  /** Class names, index = label id (classification). */
  readonly classes?: readonly string[] | undefined;
  readonly rows: number;
  /** Rows [0, trainRows) are the training split. */
  readonly split: { readonly trainRows: number; readonly testRows: number };
  /** The Data Vessel's dataset root: the Dataset NFT's contentRoot. */
  readonly datasetRoot: `0x${string}`;
}

export interface MaterializeDatasetRequest {
  /** The Dataset NFT id (decimal string). */
  readonly datasetId: string;
  /** The job the data is for: the key release checks the chain assigned or drew this node for it. */
  readonly jobId: bigint;
  /** The job's sandbox directory: plaintext exists only here. */
  readonly dir: string;
  readonly signal?: AbortSignal;
}

export interface MaterializedDataset {
  /** Plaintext safetensors shards (tensors `features`, `labels`) inside `dir`, in manifest order. */
  readonly files: string[];
  /** The first `trainRows` rows over the shards (in order) are the training split. */
  readonly trainRows: number;
  /** Bytes fetched over the network for this call (0 when every shard came from the cache). */
  readonly bytesFetched: number;
  readonly fromCache: boolean;
  /** PeerIds the chunks came from. */
  readonly holders: string[];
}

/** The node's data role as the job roles see it. */
export interface JobAssetPort {
  /** The dataset's public manifest; its `datasetRoot` is checked against the Dataset NFT's contentRoot. */
  datasetManifest(datasetId: string, signal?: AbortSignal): Promise<JobDatasetManifest>;
  /** Fetches (or takes from the cache), checks and decrypts the dataset's shards into `dir`. */
  materializeDataset(request: MaterializeDatasetRequest): Promise<MaterializedDataset>;
  /** The Model (or TrainedAI) NFT's exact manifest bytes; the caller checks keccak256(bytes) == contentRoot. */
  modelManifest(modelId: string, signal?: AbortSignal): Promise<Uint8Array>;
}
