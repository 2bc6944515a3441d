/**
 * A job named by a Dataset NFT and a Model NFT, through the three roles' code paths with an in-memory chain and an
 * in-memory JobAssetPort over a dataset dir the Data Vessel's tabular importer wrote from a generated CSV (a
 * learnable rule) and a hand-written MLP manifest: the requester quotes and escrows a v2 ticket; the provider checks
 * the ticket against the chain, materializes the shards into its sandbox dir and trains in the real worker process;
 * the verifier loads the same shards and re-runs sampled segments from the provider's checkpoints. Refusals: a
 * dataset that does not fit the model (at quote time, nothing escrowed), a model whose bytes do not hash to its root
 * (the provider refuses before any data moves).
 */
import { copyFile, mkdir, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isAicError } from '@aic/core';
import { importCsv, parseDatasetManifest, writeDatasetDir } from '@aic/data-vessel';
import {
  type AgentContext,
  checkCommittedJob,
  decodeJobTicket,
  type JobAssetPort,
  type JobSubmission,
  loadTicketDataset,
  materializeTicketData,
  RequesterAgent,
  workerTrainingRunner,
} from '@aic/gpu-vessel';
import type { LedgerClient } from '@aic/ledger';
import { loadCheckpoint } from '@aic/model-vessel';
import { type Hex, keccak256 } from 'viem';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const ROWS = 2_000;
const DATASET_ID = '11';
const MODEL_ID = '12';
const WIDE_MODEL_ID = '13';

/** label = pos when 1.5·a − b + 0.5·c > 0: linearly separable, so a small MLP learns it almost perfectly. */
function ruleCsv(): string {
  let seed = 12345;
  const next = () => {
    seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31;
    return seed / 2 ** 31 - 0.5;
  };
  const lines = ['a,b,c,label'];
  for (let i = 0; i < ROWS; i++) {
    const [a, b, c] = [next() * 4, next() * 4, next() * 4];
    lines.push(`${a.toFixed(4)},${b.toFixed(4)},${c.toFixed(4)},${1.5 * a - b + 0.5 * c > 0 ? 'pos' : 'neg'}`);
  }
  return `${lines.join('\n')}\n`;
}

/** A member's own model, as they would write it: a 3 → 16 → 2 MLP. */
function mlpManifestText(inputWidth: number): string {
  const manifest = {
    schema: 'aic-model/1',
    name: 'rule-mlp',
    version: '1.0.0',
    task: 'tabular-classification',
    description: 'A small MLP for a three-column rule.',
    inputs: [{ name: 'columns', dtype: 'float32', shape: [inputWidth], meaning: 'a, b, c standardized' }],
    outputs: [{ name: 'label', dtype: 'float32', shape: [2], meaning: 'class probabilities', labels: ['neg', 'pos'] }],
    architecture: {
      format: 'tfjs-layers',
      modelTopology: {
        class_name: 'Sequential',
        config: {
          name: 'rule-mlp',
          layers: [
            { class_name: 'Dense', config: { units: 16, activation: 'relu' } },
            { class_name: 'Dense', config: { units: 2, activation: 'softmax' } },
          ],
        },
      },
      loss: 'sparseCategoricalCrossentropy',
    },
    hyperparameters: {
      type: 'object',
      properties: {
        epochs: { type: 'integer', default: 3, minimum: 1, maximum: 100 },
        batchSize: { type: 'integer', default: 32, minimum: 1, maximum: 1024 },
        learningRate: { type: 'number', default: 0.02, minimum: 0.000001, maximum: 1 },
      },
      additionalProperties: false,
    },
    runtime: { engine: 'tensorflowjs', engineVersion: '4.22.0', backends: ['cpu', 'wasm'] },
    hardware: { minMemoryBytes: 1_000_000, flopsPerSample: 200, gpu: 'optional' },
    metrics: [],
    license: 'MIT',
    pricePerCallWei: '0',
    lineage: { parents: [] },
  };
  return `${JSON.stringify(manifest, null, 2)}\n`;
}

let root: string;
let datasetDir: string;
const registry = new Map<string, { kind: number; contentRoot: Hex }>();
const models = new Map<string, Uint8Array>();
const escrows: { specHash: Hex }[] = [];
let materialized = 0;

/** The node's data role as the roles see it, over a local dataset dir (a real node fetches and decrypts). */
const port: JobAssetPort = {
  datasetManifest: async () => parseDatasetManifest(await readFile(join(datasetDir, 'manifest.json'), 'utf8')),
  modelManifest: async (modelId) => {
    const bytes = models.get(modelId);
    if (!bytes) throw new Error(`no model ${modelId}`);
    return bytes;
  },
  materializeDataset: async ({ dir }) => {
    materialized++;
    const manifest = parseDatasetManifest(await readFile(join(datasetDir, 'manifest.json'), 'utf8'));
    await mkdir(dir, { recursive: true });
    const files: string[] = [];
    for (const index of manifest.shards.keys()) {
      const name = `shard-${String(index).padStart(5, '0')}.safetensors`;
      await copyFile(join(datasetDir, name), join(dir, name));
      files.push(join(dir, name));
    }
    return { files, trainRows: manifest.split.trainRows, bytesFetched: 0, fromCache: true, holders: [] };
  },
};

const ledger = {
  account: () => '0x00000000000000000000000000000000000000aa',
  registry: {
    read: {
      assetOf: async ([id]: [bigint]) => ({
        manifestCid: '',
        ...(registry.get(String(id)) ?? { kind: 0, contentRoot: `0x${'0'.repeat(64)}` }),
      }),
    },
  },
  market: { address: '0x00000000000000000000000000000000000000cc' },
  quoteJob: async (r: { providerBudgetWei: bigint; verifierFeeWei: bigint }) => ({
    totalWei: r.providerBudgetWei + r.verifierFeeWei,
    protocolFeeWei: 0n,
    datasetFeeWei: 0n,
    modelFeeWei: 0n,
    verifierFeeWei: r.verifierFeeWei,
  }),
  createAndFundJob: async (r: { specHash: Hex; providerBudgetWei: bigint }) => {
    escrows.push({ specHash: r.specHash });
    return { jobId: BigInt(escrows.length), escrowWei: r.providerBudgetWei };
  },
  publicClient: { getContractEvents: async () => [] },
} as unknown as LedgerClient;

const ctx = {
  net: {},
  ledger,
  send: <T>(task: () => Promise<T>) => task(),
  watcher: {},
  log: { info: () => undefined, warn: () => undefined, error: () => undefined },
  assets: port,
} as unknown as AgentContext;

const submission = (modelId: string): JobSubmission => ({
  spec: { backend: 'cpu', seed: 5, commitEverySteps: 20, hyperparameters: { epochs: 3 } },
  datasetId: BigInt(DATASET_ID),
  modelId: BigInt(modelId),
  providerBudgetWei: 10n ** 18n,
  verifierFeeWei: 10n ** 17n,
  minHwClass: 0,
  deadlineSec: 3_600,
  confidence: 0.99,
  cheatFraction: 0.1,
});

async function codeOf(run: () => Promise<unknown>): Promise<string | undefined> {
  try {
    await run();
  } catch (error) {
    return isAicError(error) ? error.code : `not an AicError: ${String(error)}`;
  }
  return undefined;
}

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'aic-job-on-assets-'));
  datasetDir = join(root, 'dataset');
  const dataset = importCsv(ruleCsv(), {
    name: 'rule-data',
    labelColumn: 'label',
    license: 'CC-BY-4.0',
    pricePerUseWei: 0n,
    rowsPerShard: 600,
  });
  await writeDatasetDir(datasetDir, dataset);
  registry.set(DATASET_ID, { kind: 1, contentRoot: dataset.manifest.datasetRoot });
  for (const [id, width] of [
    [MODEL_ID, 3],
    [WIDE_MODEL_ID, 4],
  ] as const) {
    const bytes = new TextEncoder().encode(mlpManifestText(width));
    models.set(id, bytes);
    registry.set(id, { kind: 2, contentRoot: keccak256(bytes) });
  }
});

afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

describe('a job on a published dataset and a member-written model', () => {
  it('is quoted, escrowed, trained by the provider in its worker and verified by re-running segments', async () => {
    const requester = new RequesterAgent(ctx, join(root, 'requester'));
    const quote = await requester.quote(submission(MODEL_ID));
    // 2,000 rows, 20 % test → 1,600 train rows, batch 32, 3 epochs
    expect(quote.totalSteps).toBe(150);
    const { jobId } = await requester.submit(submission(MODEL_ID));
    const bytes = new Uint8Array(await readFile(join(root, 'requester', String(jobId), 'ticket.json')));
    const job = { datasetId: Number(DATASET_ID), modelId: Number(MODEL_ID) };

    // provider: the ticket against the chain, the shards into its sandbox, the worker trains on them
    const ticket = decodeJobTicket(bytes, escrows.at(-1)!.specHash);
    const providerDir = join(root, 'provider', String(jobId));
    const prepared = await materializeTicketData(
      { ledger, assets: port, job, jobId, dir: join(providerDir, 'data') },
      ticket,
    );
    expect(prepared.totalSteps).toBe(150);
    expect(prepared.source).toMatchObject({ rows: 1_600 });
    let lastAccuracy = 0;
    const checkpointDir = join(providerDir, 'checkpoints');
    const result = await workerTrainingRunner({ memoryMiB: 512, timeoutMs: 120_000 })(
      { spec: ticket.spec, dataset: prepared.source, checkpointDir },
      {
        signal: new AbortController().signal,
        onProgress: (p) => {
          if (p.accuracy !== undefined) lastAccuracy = p.accuracy;
        },
        onCheckpoint: () => undefined,
      },
    );
    expect(result.commitments.at(-1)?.step).toBe(150);
    expect(lastAccuracy).toBeGreaterThanOrEqual(0.9);

    // verifier: the same shards loaded in process, sampled segments re-run from the provider's checkpoints
    const data = await loadTicketDataset(
      { ledger, assets: port, job, jobId, dir: join(root, 'verifier', String(jobId)) },
      ticket,
    );
    expect(data.count).toBe(1_600);
    const verdict = await checkCommittedJob({
      spec: ticket.spec,
      data,
      commitments: result.commitments,
      seed: 7n,
      jobKey: `job-${jobId}`,
      samples: 3,
      loadCheckpoint: (i) => loadCheckpoint(checkpointDir, result.commitments[i]!.step),
    });
    expect(verdict.valid).toBe(true);
    expect(verdict.checked.length).toBe(3);
  });

  it('refuses at quote time a model whose input does not fit the dataset (JOB_SCHEMA_MISMATCH), escrowing nothing', async () => {
    const requester = new RequesterAgent(ctx, join(root, 'requester-wide'));
    const before = escrows.length;
    expect(await codeOf(() => requester.submit(submission(WIDE_MODEL_ID)))).toBe('JOB_SCHEMA_MISMATCH');
    expect(escrows.length).toBe(before);
  });

  it('the provider refuses a ticket whose model bytes no longer hash to the Model NFT root, before any data moves', async () => {
    const requester = new RequesterAgent(ctx, join(root, 'requester-root'));
    const { jobId } = await requester.submit(submission(MODEL_ID));
    const bytes = new Uint8Array(await readFile(join(root, 'requester-root', String(jobId), 'ticket.json')));
    const ticket = decodeJobTicket(bytes, escrows.at(-1)!.specHash);
    const original = registry.get(MODEL_ID)!;
    registry.set(MODEL_ID, { ...original, contentRoot: keccak256(new TextEncoder().encode('another manifest')) });
    const before = materialized;
    try {
      const job = { datasetId: Number(DATASET_ID), modelId: Number(MODEL_ID) };
      const init = { ledger, assets: port, job, jobId, dir: join(root, 'provider-root', 'data') };
      expect(await codeOf(() => materializeTicketData(init, ticket))).toBe('JOB_MODEL_ROOT_MISMATCH');
      expect(materialized).toBe(before);
    } finally {
      registry.set(MODEL_ID, original);
    }
  });
});
