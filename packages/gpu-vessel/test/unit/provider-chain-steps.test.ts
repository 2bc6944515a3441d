/**
 * Issue 18's soak (10 % of RPC requests failing): a provider's chain steps are retried where they failed, not by
 * restarting the whole attempt (ticket fetch, data, worker), and a requester whose own chain read failed while it
 * authorized the ticket fetch (NETWORK_REMOTE_ERROR, remote code INTERNAL) is asked again instead of counting as a
 * lasting failure — before, a few of either left jobs Assigned, or trained and never committed.
 */
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
import type { JobAssetPort } from '../../src/jobs/asset-port.ts';
import { encodeJobTicket, ticketHash } from '../../src/jobs/job-ticket.ts';
import { jobTicketFetchProtocol } from '../../src/jobs/protocols.ts';

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
const fetchFailed = () => new TypeError('fetch failed');

let root: string;
beforeEach(async () => {
  root = await mkdtemp(join(tmpdir(), 'aic-provider-steps-'));
});
afterEach(async () => {
  await rm(root, { recursive: true, force: true });
});

interface Faults {
  /** startJob sends that fail on the way (nothing mined). */
  startFailures?: number;
  /** commitResult sends mined whose receipt wait then fails (the chain has the result, the provider an error). */
  commitLostReceipts?: number;
  /** Ticket fetches the requester answers with its own failed chain read. */
  remoteInternal?: number;
  /** Registry reads (`assetOf`) that fail on the way. */
  assetReadFailures?: number;
}

function world(faults: Faults) {
  const count = { ticketFetches: 0, materialized: 0, trained: 0, startSends: 0, commitSends: 0, assetReads: 0 };
  const errors: string[] = [];
  const held: { step: number; hash: Hex }[] = [];
  const job = { provider: ME, requester: REQUESTER, state: JobState.Assigned, datasetId: 5, modelId: 6, resumeFrom: 0 };
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
      count.materialized++;
      await mkdir(request.dir, { recursive: true });
      const file = join(request.dir, 'shard-00000.safetensors');
      await writeFile(file, 'plaintext');
      return { files: [file], trainRows: 120, bytesFetched: 9, fromCache: false, holders: ['peer-a'] };
    },
  };
  const assets: Record<string, { kind: number; contentRoot: Hex }> = {
    '5': { kind: 1, contentRoot: DATASET_ROOT },
    '6': { kind: 2, contentRoot: keccak256(new TextEncoder().encode(manifestText)) },
  };
  const ledger = {
    account: () => ME,
    registry: {
      read: {
        assetOf: async ([id]: [bigint]) => {
          count.assetReads++;
          if (count.assetReads <= (faults.assetReadFailures ?? 0)) throw fetchFailed();
          return { manifestCid: '', ...assets[String(id)] };
        },
      },
    },
    market: {
      address: '0x00000000000000000000000000000000000000cc',
      read: { jobOf: async () => ({ ...job }) },
      write: {
        startJob: async () => {
          count.startSends++;
          if (count.startSends <= (faults.startFailures ?? 0)) throw fetchFailed();
          job.state = JobState.Running;
          return '0x';
        },
        commitResult: async () => {
          count.commitSends++;
          job.state = JobState.Committed;
          if (count.commitSends <= (faults.commitLostReceipts ?? 0)) throw fetchFailed();
          return '0x';
        },
      },
    },
    confirm: async (_what: string, send: () => Promise<unknown>) => await send(),
    publicClient: { getContractEvents: async () => [{ args: { specHash: ticketHash(ticket) } }] },
  };
  const net = {
    getPeers: () => [{ peerId: 'requester-peer', address: REQUESTER }],
    request: async (
      _peer: string,
      protocol: { id: string },
      body: { checkpoint?: { index: number; step: number; hash: Hex } },
    ) => {
      if (protocol.id === jobTicketFetchProtocol.id) {
        count.ticketFetches++;
        if (count.ticketFetches <= (faults.remoteInternal ?? 0)) {
          throw new AicError('NETWORK_REMOTE_ERROR', 'internal error', {
            details: { code: 'INTERNAL', protocol: protocol.id },
          });
        }
        return { ticket, commitments: [...held], mirrored: [] };
      }
      if (body.checkpoint) held[body.checkpoint.index] = { step: body.checkpoint.step, hash: body.checkpoint.hash };
      return {};
    },
  };
  const ctx = {
    net,
    ledger,
    send: <T>(task: () => Promise<T>) => task(),
    watcher: {},
    log: { info: () => undefined, warn: () => undefined, error: (_o: object, msg: string) => void errors.push(msg) },
    assets: port,
  } as unknown as AgentContext;
  const train: TrainingRunner = async (_init, hooks) => {
    count.trained++;
    const commitments = [0, 4, 8].map((step, i) => ({ step, hash: hash(i + 1) }));
    for (const [index, c] of commitments.entries()) hooks.onCheckpoint({ index, ...c });
    return { commitmentRoot: hash(99), resultCid: 'bafyresult', commitments };
  };
  const init = {
    root,
    hwClass: 0,
    stakeWei: 1n,
    priceWeiPerHour: 1n,
    runRetryBaseMs: 1,
    offer: { hardware: { backends: ['cpu', 'wasm'] } } as never,
  };
  // One lasting attempt: any failure taken as lasting ends the job.
  const provider = new ProviderAgent(ctx, { ...init, runAttempts: 1 }, train);
  return { count, provider, errors, job };
}

describe('provider chain steps under RPC failures', () => {
  it('retries a failed startJob send in place: one ticket fetch, one data fetch, one run', async () => {
    const w = world({ startFailures: 2 });
    await w.provider.runJob(1n);
    expect(w.count.startSends).toBe(3);
    expect(w.count.ticketFetches).toBe(2); // the start and the commitment check before commitResult
    expect(w.count.materialized).toBe(1);
    expect(w.count.trained).toBe(1);
    expect(w.job.state).toBe(JobState.Committed);
    expect(w.errors).toEqual([]);
  }, 30_000);

  it('does not send commitResult twice when the first was mined and only its receipt wait failed', async () => {
    const w = world({ commitLostReceipts: 1 });
    await w.provider.runJob(2n);
    expect(w.count.commitSends).toBe(1);
    expect(w.count.trained).toBe(1);
    expect(w.errors).toEqual([]);
  }, 30_000);

  it('retries a failed asset read in place: one ticket fetch before training', async () => {
    const w = world({ assetReadFailures: 2 });
    await w.provider.runJob(4n);
    expect(w.count.ticketFetches).toBe(2); // the start and the commitment check before commitResult
    expect(w.count.materialized).toBe(1);
    expect(w.job.state).toBe(JobState.Committed);
    expect(w.errors).toEqual([]);
  }, 30_000);

  it("asks again when the requester's own chain read failed (remote INTERNAL), not a lasting failure", async () => {
    const w = world({ remoteInternal: 2 });
    await w.provider.runJob(3n);
    expect(w.errors).toEqual([]);
    expect(w.job.state).toBe(JobState.Committed);
  }, 30_000);
});
