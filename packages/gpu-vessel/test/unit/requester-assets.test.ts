/**
 * The requester on published assets: quote and submit by Dataset NFT and Model NFT ids, refusals before any AIC
 * moves (a dataset that does not fit the model, a model whose bytes do not hash to its root, wrong kinds), and
 * idempotent submits (a retry with the same key escrows once, also when the first answer was lost).
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isAicError } from '@aic/core';
import { irisTemplate } from '@aic/model-vessel';
import type { OfferEventDetail } from '@aic/network';
import { HttpRequestError, keccak256 } from 'viem';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { hardwareFor } from '../../src/agent/requester/backend-terms.ts';
import { KnownMachines } from '../../src/agent/requester/known-machines.ts';
import { RequesterAgent } from '../../src/agent/requester/requester-agent.ts';
import type { JobSubmission } from '../../src/agent/requester/types.ts';
import type { JobAssetPort, JobDatasetManifest } from '../../src/jobs/asset-port.ts';
import { decodeJobTicket } from '../../src/jobs/job-ticket.ts';
import { type FakeChain, fakeJobChain } from '../helpers/fake-job-chain.ts';

const DATASET_ROOT = `0x${'12'.repeat(32)}` as const;
const manifestBytes = new TextEncoder().encode(JSON.stringify(irisTemplate.manifest));

function irisLikeManifest(o: Partial<JobDatasetManifest> = {}): JobDatasetManifest {
  return {
    task: 'classification',
    features: { dtype: 'F32', shape: [4] },
    labels: { dtype: 'I32', shape: [] },
    classes: ['setosa', 'versicolor', 'virginica'],
    rows: 150,
    split: { trainRows: 120, testRows: 30 },
    datasetRoot: DATASET_ROOT,
    ...o,
  };
}

function portWith(dataset: JobDatasetManifest, model: Uint8Array = manifestBytes): JobAssetPort {
  return {
    datasetManifest: async () => dataset,
    modelManifest: async () => model,
    materializeDataset: async () => {
      throw new Error('a requester never materializes data');
    },
  };
}

const submission = (o: Partial<JobSubmission> = {}): JobSubmission => ({
  spec: { backend: 'cpu', seed: 1, commitEverySteps: 4, hyperparameters: { epochs: 2, batchSize: 16 } },
  datasetId: 5n,
  modelId: 6n,
  providerBudgetWei: 1_000n,
  verifierFeeWei: 100n,
  minHwClass: 0,
  deadlineSec: 3_600,
  confidence: 0.99,
  cheatFraction: 0.1,
  ...o,
});

async function codeOf(run: () => Promise<unknown>): Promise<string | undefined> {
  try {
    await run();
  } catch (error) {
    return isAicError(error) ? error.code : `not an AicError: ${String(error)}`;
  }
  return undefined;
}

let root: string;
beforeEach(async () => {
  root = await mkdtemp(join(tmpdir(), 'aic-requester-assets-'));
});
afterEach(async () => {
  await rm(root, { recursive: true, force: true });
});

function requesterOn(port: JobAssetPort | undefined): { chain: FakeChain; requester: RequesterAgent } {
  const chain = fakeJobChain(port);
  chain.assets.set('5', { kind: 1, contentRoot: DATASET_ROOT });
  chain.assets.set('6', { kind: 2, contentRoot: keccak256(manifestBytes) });
  return { chain, requester: new RequesterAgent(chain.ctx, root) };
}

describe('requester: jobs by Dataset NFT and Model NFT id', () => {
  it('quotes from the manifests alone: 120 train rows, batch 16, 2 epochs = 16 steps in 4 segments', async () => {
    const { requester } = requesterOn(portWith(irisLikeManifest()));
    const quote = await requester.quote(submission());
    expect(quote.totalSteps).toBe(16);
    expect(quote.segments).toBe(4);
  });

  it('a webgpu job: the quote states the tolerant bound, the ticket carries it and asks for a webgpu machine', async () => {
    const { chain, requester } = requesterOn(portWith(irisLikeManifest()));
    const webgpu = submission({ spec: { ...submission().spec, backend: 'webgpu' } });
    const quote = await requester.quote(webgpu);
    expect(quote.verification).toEqual({ mode: 'tolerant', maxRelativeL2: 1e-3, verifyBackends: ['webgpu', 'cpu'] });
    expect((await requester.quote(submission())).verification).toEqual({ mode: 'exact' });
    const { jobId } = await requester.submit(webgpu);
    const bytes = await readFile(join(root, String(jobId), 'ticket.json'));
    const ticket = decodeJobTicket(new Uint8Array(bytes), chain.escrows[0]!.specHash);
    expect(ticket.spec).toMatchObject({
      backend: 'webgpu',
      tolerance: quote.verification.mode === 'tolerant' && { maxRelativeL2: 1e-3 },
    });
    expect(ticket.hardware).toEqual({ backend: 'webgpu' });
  });

  it('refuses a webgpu job before any escrow when the offers heard list no webgpu machine', () => {
    const market = new KnownMachines();
    market.listen(0);
    const cpuOnly = { gpus: [], cpuCores: 2, memoryBytes: 2 ** 33, backends: ['cpu', 'wasm'] };
    market.add({ sender: '0xp1', payload: { hardware: cpuOnly }, expiresAtMs: 1e12 } as unknown as OfferEventDetail);
    const judgedAt = 60_000; // after two republish intervals, every live provider has been heard
    const webgpu = submission({ spec: { ...submission().spec, backend: 'webgpu' } });
    expect(() => market.check(hardwareFor(webgpu), judgedAt)).toThrow(
      expect.objectContaining({
        code: 'ALLOCATOR_REQUIREMENT_UNSATISFIABLE',
        message: expect.stringContaining('webgpu'),
      }),
    );
    expect(() => market.check(hardwareFor(submission()), judgedAt)).not.toThrow(); // cpu jobs as before
    const gpuMachine = { ...cpuOnly, backends: ['cpu', 'wasm', 'webgpu'] };
    market.add({ sender: '0xp2', payload: { hardware: gpuMachine }, expiresAtMs: 1e12 } as unknown as OfferEventDetail);
    expect(() => market.check(hardwareFor(webgpu), judgedAt)).not.toThrow();
  });

  it('escrows a v2 ticket carrying the model bytes, the ids and the spec', async () => {
    const { chain, requester } = requesterOn(portWith(irisLikeManifest()));
    const { jobId } = await requester.submit(submission());
    expect(chain.escrows[0]).toMatchObject({ datasetId: 5, modelId: 6 });
    const bytes = await readFile(join(root, String(jobId), 'ticket.json'));
    const ticket = decodeJobTicket(new Uint8Array(bytes), chain.escrows[0]!.specHash);
    expect(ticket.format).toBe('aic-job-ticket/2');
    expect(new TextEncoder().encode(ticket.model.manifest)).toEqual(manifestBytes);
    expect(ticket.dataset.assetId).toBe('5');
    expect(ticket.spec.manifest).toEqual(irisTemplate.manifest);
  });

  it('refuses at quote time, before any escrow, a dataset whose features do not fit the model (JOB_SCHEMA_MISMATCH)', async () => {
    const wide = irisLikeManifest({ features: { dtype: 'F32', shape: [5] } });
    const { chain, requester } = requesterOn(portWith(wide));
    expect(await codeOf(() => requester.quote(submission()))).toBe('JOB_SCHEMA_MISMATCH');
    expect(await codeOf(() => requester.submit(submission()))).toBe('JOB_SCHEMA_MISMATCH');
    expect(chain.escrows).toHaveLength(0);
  });

  it('refuses a dataset with more classes than the model outputs', async () => {
    const { chain, requester } = requesterOn(portWith(irisLikeManifest({ classes: ['a', 'b', 'c', 'd'] })));
    expect(await codeOf(() => requester.submit(submission()))).toBe('JOB_SCHEMA_MISMATCH');
    expect(chain.escrows).toHaveLength(0);
  });

  it('refuses a model whose manifest bytes do not hash to its contentRoot (JOB_MODEL_ROOT_MISMATCH)', async () => {
    const tampered = new TextEncoder().encode(JSON.stringify({ ...irisTemplate.manifest, name: 'other' }));
    const { chain, requester } = requesterOn(portWith(irisLikeManifest(), tampered));
    expect(await codeOf(() => requester.submit(submission()))).toBe('JOB_MODEL_ROOT_MISMATCH');
    expect(chain.escrows).toHaveLength(0);
  });

  it("refuses a dataset manifest whose root is not the Dataset NFT's (JOB_DATASET_MISMATCH)", async () => {
    const { requester } = requesterOn(portWith(irisLikeManifest({ datasetRoot: `0x${'34'.repeat(32)}` })));
    expect(await codeOf(() => requester.quote(submission()))).toBe('JOB_DATASET_MISMATCH');
  });

  it('refuses ids of the wrong kind (JOB_ASSET_KIND_MISMATCH)', async () => {
    const { requester } = requesterOn(portWith(irisLikeManifest()));
    expect(await codeOf(() => requester.quote(submission({ datasetId: 6n, modelId: 5n })))).toBe(
      'JOB_ASSET_KIND_MISMATCH',
    );
  });

  it('refuses asset jobs on a node without a data role (JOB_ASSETS_UNAVAILABLE)', async () => {
    const { requester } = requesterOn(undefined);
    expect(await codeOf(() => requester.quote(submission()))).toBe('JOB_ASSETS_UNAVAILABLE');
  });
});

describe('requester: idempotent submit', () => {
  it('a second submit with the same idempotencyKey returns the first job and escrows once', async () => {
    const { chain, requester } = requesterOn(portWith(irisLikeManifest()));
    const [first, second] = await Promise.all([
      requester.submit(submission({ idempotencyKey: 'retry-1' })),
      requester.submit(submission({ idempotencyKey: 'retry-1' })),
    ]);
    const third = await requester.submit(submission({ idempotencyKey: 'retry-1' }));
    expect(second.jobId).toBe(first.jobId);
    expect(third.jobId).toBe(first.jobId);
    expect(third.quote.totalWei).toBe(first.quote.totalWei);
    expect(chain.escrows).toHaveLength(1);
  });

  it('a retry after a lost answer finds the landed escrow on chain instead of paying again', async () => {
    const { chain, requester } = requesterOn(portWith(irisLikeManifest()));
    chain.loseNextAnswer();
    expect(await codeOf(() => requester.submit(submission({ idempotencyKey: 'lost' })))).toBe(
      'not an AicError: Error: fetch failed',
    );
    const retried = await requester.submit(submission({ idempotencyKey: 'lost' }));
    expect(retried.jobId).toBe(1n);
    expect(chain.escrows).toHaveLength(1);
    expect(await readFile(join(root, '1', 'ticket.json'))).toBeDefined();
  });

  it('retries a keyed submit whose answer an RPC transport failure lost, finding the landed escrow (one job)', async () => {
    const { chain, requester } = requesterOn(portWith(irisLikeManifest()));
    chain.loseNextAnswer(new HttpRequestError({ url: 'http://127.0.0.1:8545', status: 503, body: {} }));
    const submitted = await requester.submit(submission({ idempotencyKey: 'rpc-503' }));
    expect(submitted.jobId).toBe(1n);
    expect(chain.escrows).toHaveLength(1);
  });

  it("refuses to resend a key's unanswered ticket for other terms (JOB_IDEMPOTENCY_CONFLICT)", async () => {
    const { chain, requester } = requesterOn(portWith(irisLikeManifest()));
    chain.revertNext();
    expect(await codeOf(() => requester.submit(submission({ idempotencyKey: 'k' })))).toBe('LEDGER_REVERTED');
    const other = submission({ idempotencyKey: 'k', spec: { ...submission().spec, seed: 2 } });
    expect(await codeOf(() => requester.submit(other))).toBe('JOB_IDEMPOTENCY_CONFLICT');
    expect(chain.escrows).toHaveLength(0);
    // the same terms again are the same request: sent once more, escrowed once
    expect((await requester.submit(submission({ idempotencyKey: 'k' }))).jobId).toBe(1n);
    expect(chain.escrows).toHaveLength(1);
  });

  it('the same explicit nonce also escrows once; different keys escrow twice', async () => {
    const { chain, requester } = requesterOn(portWith(irisLikeManifest()));
    await requester.submit(submission({ nonce: 'n-7' }));
    await requester.submit(submission({ nonce: 'n-7' }));
    await requester.submit(submission({ idempotencyKey: 'a' }));
    await requester.submit(submission({ idempotencyKey: 'b' }));
    expect(chain.escrows).toHaveLength(3);
  });
});
