/**
 * The coordinator places a job with real locality inputs (issue 12): the dataset's size from its manifest (through
 * the node's asset port), its root from the chain, holders' coordinates from the locality port, and the offers'
 * cached dataset roots. With equal prices every job goes to the provider that caches the dataset; without that
 * cache the choice spreads over the providers. Chain, network and challenge are stubs; the allocator is the real one.
 */
import type { ProviderOffer } from '@aic/network';
import { describe, expect, it } from 'vitest';
import type { AgentContext } from '../../src/agent/context.ts';
import { CoordinatorAgent } from '../../src/agent/coordinator-agent.ts';
import type { LocalityPort } from '../../src/agent/coordinator-locality.ts';
import type { MarketHandlers, MarketWatcher } from '../../src/chain/market-watcher.ts';
import type { JobAssetPort, JobDatasetManifest } from '../../src/jobs/asset-port.ts';
import { encodeJobTicket, ticketHash } from '../../src/jobs/job-ticket.ts';
import { irisSpec } from '../helpers/iris-job.ts';

const ROOT = `0x${'ab'.repeat(32)}` as const;
const REQUESTER = '0x00000000000000000000000000000000000000f0';
const COORDINATOR = '0x00000000000000000000000000000000000000c0';
const PROVIDERS = ['a1', 'a2', 'a3', 'a4', 'a5'].map((x) => `0x${x.padStart(40, '0')}`);
const ESCROWED = 2;

const ticket = encodeJobTicket({
  spec: irisSpec({ seed: 1, commitEverySteps: 4, epochs: 1 }),
  dataset: { assetId: '7' },
  model: { assetId: '8', manifest: JSON.stringify(irisSpec({ seed: 1, commitEverySteps: 4, epochs: 1 }).manifest) },
  nonce: 'n',
});

function offerOf(cachedDatasetRoots: `0x${string}`[]): ProviderOffer {
  return {
    offerId: 'gpu-vessel',
    capacity: { gpus: 0, concurrentJobs: 1 },
    hardware: { gpus: [], cpuCores: 4, memoryBytes: 8 * 2 ** 30, backends: ['cpu'] },
    priceWeiPerHour: 10n ** 18n,
    cachedDatasetIds: [],
    cachedDatasetRoots,
    ttlSeconds: 300,
    coordinate: { vec: [5, 5, 0], height: 1, error: 0.2 },
  };
}

/** A coordinator over stubs; `assign` records each assignJob. */
function harness(o: { cachedBy?: string | undefined; sizes?: boolean; shortlist?: string[] }) {
  const handlers: MarketHandlers[] = [];
  const assigned = new Map<bigint, string>();
  const seeds = new Map<bigint, bigint>();
  const watcher: MarketWatcher = {
    on: (h) => {
      handlers.push(h as MarketHandlers);
      return () => undefined;
    },
    start: async () => undefined,
    stop: async () => undefined,
  };
  const net = Object.assign(new EventTarget(), {
    getPeers: () => [{ peerId: 'requester-peer', address: REQUESTER }],
    coordinate: () => ({ vec: [0, 0, 0], height: 0, error: 1 }),
    request: async () => ({ ticket, commitments: [], mirrored: 0 }),
  });
  const ledger = {
    account: () => COORDINATOR,
    publicClient: { getContractEvents: async () => [{ args: { jobId: 1n, specHash: ticketHash(ticket) } }] },
    registry: { read: { assetOf: async () => ({ contentRoot: ROOT }) } },
    confirm: async (_name: string, write: () => Promise<unknown>) => await write(),
    market: {
      address: '0x00000000000000000000000000000000000000ee',
      read: {
        providerOf: async () => ({ registered: true, hwClass: 0, stake: 100n * 10n ** 18n, activeJobs: 0 }),
        jobOf: async () => ({
          state: ESCROWED,
          requester: REQUESTER,
          provider: '0x0000000000000000000000000000000000000000',
          escrow: 10n ** 18n,
          datasetFee: 0n,
          modelFee: 0n,
          verifierFee: 0n,
          protocolFeeBps: 250,
          minHwClass: 0,
          datasetId: 7,
        }),
        assignmentSeed: async ([jobId]: [bigint]) => seeds.get(jobId) ?? 1n,
        // Every provider on the seeded shortlist: the allocator's ranking alone decides here.
        assignmentShortlist: async () => o.shortlist ?? PROVIDERS,
      },
      write: {
        assignJob: async ([jobId, provider]: [bigint, string]) => void assigned.set(jobId, provider.toLowerCase()),
      },
    },
  };
  const manifest = {
    task: 'classification',
    features: { dtype: 'F32', shape: [4] },
    labels: { dtype: 'I32', shape: [] },
    rows: 150,
    split: { trainRows: 120, testRows: 30 },
    datasetRoot: ROOT,
    shards: [{ byteLength: 3_000 }, { byteLength: 600 }],
  } as JobDatasetManifest;
  const manifestsRead: string[] = [];
  const assets = {
    datasetManifest: async (id: string) => {
      manifestsRead.push(id);
      return manifest;
    },
  } as unknown as JobAssetPort;
  const holdersAsked: string[] = [];
  const locality: LocalityPort = {
    datasetHolders: async (id) => {
      holdersAsked.push(id);
      return [{ peerId: 'owner', coordinate: { vec: [0, 1, 0], height: 1 } }];
    },
  };
  const log = { info: () => undefined, warn: () => undefined, error: () => undefined };
  const ctx = {
    net,
    ledger,
    watcher,
    log,
    send: (t: () => Promise<unknown>) => t(),
    ...(o.sizes === false ? {} : { assets }),
  } as unknown as AgentContext;
  const coordinator = new CoordinatorAgent(ctx, {
    confidence: 0.99,
    cheatFraction: 0.1,
    challenge: async () => ({ passed: true, reason: 'ok' }),
    locality,
  });
  const sendOffers = () => {
    for (const sender of PROVIDERS) {
      const payload = offerOf(sender === o.cachedBy ? [ROOT] : []);
      const detail = {
        sender,
        payload,
        relayedBy: 'relay',
        expiresAtMs: Date.now() + 300_000,
        timestampMs: Date.now(),
      };
      net.dispatchEvent(new CustomEvent('offer', { detail }));
    }
  };
  const escrow = async (jobId: bigint, seed: bigint) => {
    seeds.set(jobId, seed);
    for (const h of handlers) void h.JobEscrowed?.({ eventName: 'JobEscrowed', args: { jobId, amount: 1n } } as never);
    const until = Date.now() + 10_000;
    while (!assigned.has(jobId) && Date.now() < until) await new Promise((r) => setTimeout(r, 5));
    return assigned.get(jobId);
  };
  return { coordinator, sendOffers, escrow, manifestsRead, holdersAsked };
}

async function placeMany(h: ReturnType<typeof harness>, jobs: number): Promise<string[]> {
  await h.coordinator.start();
  try {
    h.sendOffers();
    // Offers count once their challenge passed (a microtask chain here).
    const until = Date.now() + 5_000;
    while (Date.now() < until) {
      const outcomes = await Promise.all(PROVIDERS.map((p) => h.coordinator.challengeOutcome(p.toLowerCase())));
      if (outcomes.every((x) => x === true)) break;
      await new Promise((r) => setTimeout(r, 5));
    }
    const chosen: string[] = [];
    for (let j = 1n; j <= BigInt(jobs); j++) chosen.push((await h.escrow(j, 1_000n + j * 7_919n)) ?? 'none');
    return chosen;
  } finally {
    await h.coordinator.stop();
  }
}

describe('coordinator: locality with real inputs', () => {
  it('with equal prices places every job on the provider that caches the dataset', async () => {
    const h = harness({ cachedBy: PROVIDERS[2] });
    const chosen = await placeMany(h, 12);
    expect(new Set(chosen)).toEqual(new Set([PROVIDERS[2]]));
    expect(h.manifestsRead).toEqual(['7']); // the manifest once per dataset
    expect(h.holdersAsked.length).toBe(12); // holders on every placement
  }, 30_000);

  it('without any cache the seed spreads jobs over the equal offers', async () => {
    const chosen = await placeMany(harness({}), 12);
    expect(new Set(chosen).size).toBeGreaterThan(1);
    expect(chosen).not.toContain('none');
  }, 30_000);

  it('proposes only providers on the seeded shortlist, even when the caching provider is off it', async () => {
    const shortlist = [PROVIDERS[0]!, PROVIDERS[4]!];
    const chosen = await placeMany(harness({ cachedBy: PROVIDERS[2], shortlist }), 8);
    expect(chosen.every((p) => shortlist.includes(p))).toBe(true);
  }, 30_000);

  it('without a dataset size (no asset port) placement still works, locality-blind', async () => {
    const chosen = await placeMany(harness({ cachedBy: PROVIDERS[2], sizes: false }), 12);
    expect(chosen).not.toContain('none');
    expect(new Set(chosen).size).toBeGreaterThan(1);
  }, 30_000);
});
