/**
 * The provider agent on a job named by asset ids: it fetches the v2 ticket, checks it against the chain, has the
 * node's data role materialize the shards into the job's sandbox dir, hands the worker `{ shards, rows }`, commits
 * the result and removes the plaintext; a model whose bytes do not hash to its root is refused before any data
 * moves or any training starts.
 */
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AicError } from '@aic/core';
import { JobState } from '@aic/ledger';
import { irisTemplate } from '@aic/model-vessel';
import { type Hex, keccak256 } from 'viem';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { AgentContext } from '../../src/agent/context.ts';
import { ProviderAgent, type TrainingRunner } from '../../src/agent/provider-agent.ts';
import type { JobAssetPort, MaterializeDatasetRequest } from '../../src/jobs/asset-port.ts';
import { encodeJobTicket, ticketHash } from '../../src/jobs/job-ticket.ts';
import { jobTicketFetchProtocol } from '../../src/jobs/protocols.ts';
import type { TicketData } from '../../src/jobs/ticket-data.ts';

const ME = '0x00000000000000000000000000000000000000bb';
const REQUESTER = '0x00000000000000000000000000000000000000aa';
const DATASET_ROOT = `0x${'12'.repeat(32)}` as Hex;
const manifestText = JSON.stringify(irisTemplate.manifest);
const ticket = encodeJobTicket({
  spec: { backend: 'cpu', seed: 1, commitEverySteps: 4, hyperparameters: { epochs: 2, batchSize: 16 } },
  dataset: { assetId: '5' },
  model: { assetId: '6', manifest: manifestText },
  nonce: 'n',
});
const hash = (i: number) => `0x${String(i).padStart(64, '0')}` as Hex;

let root: string;
beforeEach(async () => {
  root = await mkdtemp(join(tmpdir(), 'aic-provider-assets-'));
});
afterEach(async () => {
  await rm(root, { recursive: true, force: true });
});

function world(
  modelRoot: Hex,
  runAttempts = 1,
  faults: { commitFailures?: number; workerFailures?: number; ticket?: Uint8Array } = {},
) {
  let served = faults.ticket ?? ticket;
  const errorLines: string[] = [];
  const errors: string[] = [];
  const calls = {
    materialized: [] as MaterializeDatasetRequest[],
    committed: 0,
    commitFailed: 0,
    started: 0,
    trainedOn: [] as TicketData[],
  };
  const held: { step: number; hash: Hex }[] = [];
  const port: JobAssetPort = {
    datasetManifest: async () => ({
      task: 'classification',
      features: { dtype: 'F32', shape: [4] },
      labels: { dtype: 'I32', shape: [] },
      classes: ['a', 'b', 'c'],
      rows: 150,
      split: { trainRows: 120, testRows: 30 },
      datasetRoot: DATASET_ROOT,
    }),
    modelManifest: async () => new TextEncoder().encode(manifestText),
    materializeDataset: async (request) => {
      calls.materialized.push(request);
      await mkdir(request.dir, { recursive: true });
      const file = join(request.dir, 'shard-00000.safetensors');
      await writeFile(file, 'plaintext');
      return { files: [file], trainRows: 120, bytesFetched: 9, fromCache: false, holders: ['peer-a'] };
    },
  };
  const assets: Record<string, { kind: number; contentRoot: Hex }> = {
    '5': { kind: 1, contentRoot: DATASET_ROOT },
    '6': { kind: 2, contentRoot: modelRoot },
  };
  const job = {
    provider: ME,
    requester: REQUESTER,
    state: JobState.Assigned,
    datasetId: 5,
    modelId: 6,
    resumeFrom: 0,
  };
  const ledger = {
    account: () => ME,
    registry: { read: { assetOf: async ([id]: [bigint]) => ({ manifestCid: '', ...assets[String(id)] }) } },
    market: {
      address: '0x00000000000000000000000000000000000000cc',
      read: { jobOf: async () => job },
      write: {
        startJob: async () => {
          calls.started++;
          return '0x';
        },
        commitResult: async () => {
          if ((faults.commitFailures ?? 0) > calls.commitFailed) {
            calls.commitFailed++;
            throw new Error('fetch failed');
          }
          calls.committed++;
        },
      },
    },
    confirm: async (_what: string, send: () => Promise<unknown>) => await send(),
    publicClient: { getContractEvents: async () => [{ args: { specHash: ticketHash(served) } }] },
  };
  const net = {
    getPeers: () => [{ peerId: 'requester-peer', address: REQUESTER }],
    request: async (
      _peer: string,
      protocol: { id: string },
      body: { checkpoint?: { index: number; step: number; hash: Hex } },
    ) => {
      if (protocol.id === jobTicketFetchProtocol.id) return { ticket: served, commitments: [...held], mirrored: [] };
      if (body.checkpoint) held[body.checkpoint.index] = { step: body.checkpoint.step, hash: body.checkpoint.hash };
      return {};
    },
  };
  const ctx = {
    net,
    ledger,
    send: <T>(task: () => Promise<T>) => task(),
    watcher: {},
    log: {
      info: () => undefined,
      warn: () => undefined,
      error: (o: { err?: string }, msg: string) => {
        errors.push(msg);
        errorLines.push(o.err ?? '');
      },
    },
    assets: port,
  } as unknown as AgentContext;
  const train: TrainingRunner = async (init, hooks) => {
    calls.trainedOn.push(init.dataset);
    if ((faults.workerFailures ?? 0) >= calls.trainedOn.length) throw new AicError('WORKER_CRASHED', 'worker crashed');
    const commitments = [0, 4, 8, 12, 15].map((step, i) => ({ step, hash: hash(i + 1) }));
    for (const [index, c] of commitments.entries()) hooks.onCheckpoint({ index, ...c });
    return { commitmentRoot: hash(99), resultCid: 'bafyresult', commitments };
  };
  const provider = new ProviderAgent(
    ctx,
    {
      root,
      hwClass: 0,
      stakeWei: 1n,
      priceWeiPerHour: 1n,
      runAttempts,
      runRetryBaseMs: 1,
      offer: { hardware: { backends: ['cpu', 'wasm'] } } as never,
    },
    train,
  );
  const serve = (bytes: Uint8Array) => {
    served = bytes;
  };
  return { calls, provider, errors, errorLines, serve };
}

describe('provider agent on published assets', () => {
  it('trains on the materialized shards, commits, and removes the plaintext', async () => {
    const { calls, provider } = world(keccak256(new TextEncoder().encode(manifestText)));
    await provider.runJob(3n);
    expect(calls.materialized).toHaveLength(1);
    expect(calls.materialized[0]).toMatchObject({ datasetId: '5', jobId: 3n, dir: join(root, '3', 'data') });
    expect(calls.trainedOn).toEqual([{ shards: [join(root, '3', 'data', 'shard-00000.safetensors')], rows: 120 }]);
    expect(calls.committed).toBe(1);
    expect(existsSync(join(root, '3', 'data'))).toBe(false);
  });

  it('refuses a model whose bytes do not hash to its root: no data fetched, no training, nothing committed', async () => {
    const { calls, provider, errors } = world(keccak256(new TextEncoder().encode('another manifest')), 4);
    await provider.runJob(4n);
    // refused once, not retried: the chain reads the same on every attempt
    expect(errors).toEqual(['job failed']);
    expect(calls.materialized).toHaveLength(0);
    expect(calls.trainedOn).toHaveLength(0);
    expect(calls.committed).toBe(0);
  });

  it('refuses a template ticket (v1) escrowed on chain once, typed, and keeps running the next job', async () => {
    const v1 = new TextEncoder().encode(
      JSON.stringify({
        format: 'aic-job-ticket/1',
        spec: { backend: 'cpu', seed: 1, commitEverySteps: 4, manifest: irisTemplate.manifest, hyperparameters: {} },
        dataset: 'template:iris/train',
        nonce: 'n',
      }),
    );
    const w = world(keccak256(new TextEncoder().encode(manifestText)), 4, { ticket: v1 });
    await w.provider.runJob(9n);
    expect(w.errors).toEqual(['job failed']); // one attempt: the bytes are pinned by the specHash
    expect(w.errorLines[0]).toContain('JOB_TICKET_UNSUPPORTED');
    expect(w.calls.materialized).toHaveLength(0);
    expect(w.calls.trainedOn).toHaveLength(0);
    expect(w.calls.committed).toBe(0);
    // the same agent runs the next job (one on assets) as before
    w.serve(ticket);
    await w.provider.runJob(10n);
    expect(w.calls.committed).toBe(1);
  });

  it('does not take a webgpu job without a WebGPU adapter: typed refusal before startJob, no data, no training', async () => {
    const webgpu = encodeJobTicket({
      spec: {
        backend: 'webgpu',
        seed: 1,
        commitEverySteps: 4,
        hyperparameters: { epochs: 2, batchSize: 16 },
        tolerance: { maxRelativeL2: 1e-3, verifyBackends: ['webgpu', 'cpu'] },
      },
      dataset: { assetId: '5' },
      model: { assetId: '6', manifest: manifestText },
      nonce: 'gpu',
    });
    const w = world(keccak256(new TextEncoder().encode(manifestText)), 4, { ticket: webgpu });
    await w.provider.runJob(11n);
    expect(w.errors).toEqual(['job failed']); // a final answer: one attempt
    expect(w.errorLines[0]).toMatch(/^JOB_BACKEND_UNAVAILABLE: .*webgpu.*no WebGPU adapter/);
    expect(w.calls.started).toBe(0);
    expect(w.calls.materialized).toHaveLength(0);
    expect(w.calls.trainedOn).toHaveLength(0);
  });

  it('keeps retrying transient failures past runAttempts while the job is its own, and commits once', async () => {
    // The soak's stall: at 10 % RPC failures nearly every attempt met one, and four attempts were all a job got.
    const { calls, provider, errors } = world(keccak256(new TextEncoder().encode(manifestText)), 2, {
      commitFailures: 5,
    });
    await provider.runJob(7n);
    expect(calls.commitFailed).toBe(5);
    expect(calls.committed).toBe(1);
    expect(errors.filter((e) => e === 'job failed')).toEqual([]);
  });

  it('gives a failing worker only runAttempts attempts', async () => {
    const { calls, provider, errors } = world(keccak256(new TextEncoder().encode(manifestText)), 2, {
      workerFailures: 10,
    });
    await provider.runJob(8n);
    expect(calls.trainedOn).toHaveLength(2);
    expect(calls.committed).toBe(0);
    expect(errors.at(-1)).toBe('job failed');
  });
});
