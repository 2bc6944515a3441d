import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isAicError } from '@aic/core';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { readApiToken } from '../../src/api/api-token.ts';
import { createApiClient } from '../../src/api/client.ts';
import { apiRoutes } from '../../src/api/routes.ts';
import type { NodeLedger } from '../../src/ledger-port.ts';
import { createRootLogger } from '../../src/logger.ts';
import { type AicNode, createAicNode } from '../../src/node.ts';
import { sampleJob, sampleOffer } from '../helpers/fixtures.ts';
import { createMemoryHub } from '../helpers/memory-network.ts';

const logger = createRootLogger({ level: 'silent' });
const keyOf = (n: number) => Uint8Array.from({ length: 32 }, (_, i) => (i === 31 ? n : 7));

describe('node HTTP API (in-memory network)', () => {
  let dir: string;
  let hub: ReturnType<typeof createMemoryHub>;
  const nodes: AicNode[] = [];

  const startNode = async (n: number, dataDir = join(dir, `n${n}`), ledger?: NodeLedger) => {
    const node = createAicNode(
      { dataDir, listen: [], bootstrap: [], apiHost: '127.0.0.1', apiPort: 0 },
      { privateKey: keyOf(n), logger, createNetwork: hub.factory, ...(ledger === undefined ? {} : { ledger }) },
    );
    await node.start();
    nodes.push(node);
    return { node, api: createApiClient(node.apiUrl, { token: readApiToken(dataDir) }) };
  };

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'aic-node-'));
    hub = createMemoryHub();
  });
  afterEach(async () => {
    await Promise.all(nodes.splice(0).map((n) => n.stop()));
    await rm(dir, { recursive: true, force: true });
  });

  it('reports identity and peers', async () => {
    const a = await startNode(1);
    const b = await startNode(2);
    const status = await a.api.status();
    expect(status.peerId).toBe(a.node.peerId);
    expect(status.address).toBe(a.node.address);
    expect(status.connectedPeers).toBe(1);
    const { peers } = await a.api.peers();
    expect(peers.map((p) => p.peerId)).toEqual([b.node.peerId]);
    expect(peers[0]?.rttMs).toBe(1);
    expect(peers[0]?.address).toBe(b.node.address);
  });

  it('publishes an offer that peers list as received', async () => {
    const a = await startNode(1);
    const b = await startNode(2);
    const published = await a.api.publishOffer({ body: sampleOffer() });
    expect(published.provider).toBe(a.node.address);
    expect(published.expiresAtMs - published.issuedAtMs).toBe(600_000);
    const received = await b.api.listOffers({ query: { source: 'received' } });
    expect(received.offers.map((o) => o.offerId)).toEqual([published.offerId]);
    expect((await a.api.listOffers({ query: { source: 'own' } })).offers).toHaveLength(1);
    expect((await a.api.listOffers({ query: { source: 'received' } })).offers).toHaveLength(0);
  });

  it('announces jobs to peers', async () => {
    const a = await startNode(1);
    const b = await startNode(2);
    const job = await a.api.announceJob({ body: sampleJob() });
    expect(job.requester).toBe(a.node.address);
    const { announcements } = await b.api.listJobAnnouncements();
    expect(announcements.map((j) => j.jobId)).toEqual([job.jobId]);
  });

  it('answers a bad body with 400 and a typed error, and keeps serving', async () => {
    const { node } = await startNode(1);
    const authorization = `Bearer ${readApiToken(join(dir, 'n1'))}`;
    const bad = await fetch(`${node.apiUrl}/v1/offers`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization },
      body: JSON.stringify({ ...sampleOffer(), priceWeiPerHour: '-5' }),
    });
    expect(bad.status).toBe(400);
    const body = (await bad.json()) as { code: string; message: string; details: { issues: unknown[] } };
    expect(body.code).toBe('API_INVALID_REQUEST');
    expect(body.message).toContain('priceWeiPerHour');
    expect(body.details.issues.length).toBeGreaterThan(0);

    const malformed = await fetch(`${node.apiUrl}/v1/offers`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization },
      body: '{"capacity":',
    });
    expect(malformed.status).toBe(400);
    expect(((await malformed.json()) as { code: string }).code).toBe('API_INVALID_REQUEST');

    const unknownField = await fetch(`${node.apiUrl}/v1/offers`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization },
      body: JSON.stringify({ ...sampleOffer(), sneaky: true }),
    });
    expect(unknownField.status).toBe(400);

    const huge = await fetch(`${node.apiUrl}/v1/offers`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization },
      body: JSON.stringify({ ...sampleOffer(), cachedDatasetIds: Array.from({ length: 2000 }, () => 'x'.repeat(64)) }),
    });
    expect(huge.status).toBe(413);
    expect(((await huge.json()) as { code: string }).code).toBe('API_BODY_TOO_LARGE');

    const badQuery = await fetch(`${node.apiUrl}/v1/offers?source=everything`);
    expect(badQuery.status).toBe(400);
    expect(((await badQuery.json()) as { message: string }).message).toContain('source');

    const missing = await fetch(`${node.apiUrl}/v1/nothing-here`);
    expect(missing.status).toBe(404);
    expect(((await missing.json()) as { code: string }).code).toBe('API_ROUTE_NOT_FOUND');

    expect((await createApiClient(node.apiUrl).status()).peerId).toBe(node.peerId);
  });

  it('reports balances from the ledger, and 503 without a chain', async () => {
    const ledger: NodeLedger = {
      balances: async () => ({ chainId: 31337, aicWei: 1_500_000_000_000_000_000n, nativeWei: 7n }),
      claimRewards: async () => ({ amountWei: 5n, transactionHash: `0x${'ab'.repeat(32)}` as const }),
      rewards: async () => ({
        currentEpoch: 3,
        score: 42n,
        scoreEpoch: 3,
        claimableWei: 2_000_000_000_000_000_000n,
        emissionPerEpochWei: 10n,
      }),
    };
    const withChain = await startNode(1, join(dir, 'n1'), ledger);
    expect(await withChain.api.rewards()).toEqual({
      address: withChain.node.address,
      currentEpoch: 3,
      score: '42',
      scoreEpoch: 3,
      claimableWei: '2000000000000000000',
      claimable: '2',
      emissionPerEpochWei: '10',
    });
    expect(await withChain.api.balance()).toEqual({
      address: withChain.node.address,
      chainId: 31337,
      aicWei: '1500000000000000000',
      aic: '1.5',
      nativeWei: '7',
    });
    const withoutChain = await startNode(2);
    const error = await withoutChain.api.balance().catch((e: unknown) => e);
    expect(isAicError(error, 'LEDGER_UNAVAILABLE')).toBe(true);
    expect((error as { details: { httpStatus: number } }).details.httpStatus).toBe(503);
  });

  it('rates what the node account used through the ledger (asset by id, provider by address), refusing mismatches', async () => {
    const rated: Array<[number, bigint, number]> = [];
    const payer = `0x${'0a'.repeat(20)}` as const;
    const ledger: NodeLedger = {
      balances: async () => ({ chainId: 31337, aicWei: 0n, nativeWei: 0n }),
      claimRewards: async () => ({ amountWei: 0n, transactionHash: `0x${'ab'.repeat(32)}` as const }),
      rewards: async () => ({ currentEpoch: 0, score: 0n, scoreEpoch: 0, claimableWei: 0n, emissionPerEpochWei: 0n }),
      rate: async (kind, id, rating) => {
        rated.push([kind, id, rating]);
        return { ratings: [{ rater: payer, transactionHash: `0x${'cd'.repeat(32)}` as const }] };
      },
    };
    const { api } = await startNode(1, join(dir, 'rater'), ledger);
    const provider = `0x${'0b'.repeat(20)}`;
    // The ledger sends it from the node's account that paid (a job payer), and the answer names that account.
    expect(await api.rate({ body: { kind: 'asset', id: '7', rating: 5 } })).toEqual({
      rater: payer,
      transactionHash: `0x${'cd'.repeat(32)}`,
      ratings: [{ rater: payer, transactionHash: `0x${'cd'.repeat(32)}` }],
    });
    await api.rate({ body: { kind: 'gpu', id: provider, rating: 90 } });
    expect(rated).toEqual([
      [0, 7n, 5],
      [1, BigInt(provider), 90],
    ]);
    for (const body of [
      { kind: 'asset' as const, id: provider, rating: 5 },
      { kind: 'storage' as const, id: '7', rating: 5 },
      { kind: 'asset' as const, id: '7', rating: 101 },
    ]) {
      const error = await api.rate({ body }).catch((e: unknown) => e);
      expect(isAicError(error, 'API_INVALID_REQUEST')).toBe(true);
    }
    expect(rated).toHaveLength(2);
  });

  it('serves an OpenAPI document generated from the route schemas', async () => {
    const { node } = await startNode(1);
    const doc = (await (await fetch(`${node.apiUrl}/openapi.json`)).json()) as {
      openapi: string;
      paths: Record<string, Record<string, { requestBody?: unknown; operationId?: string }>>;
    };
    expect(doc.openapi).toMatch(/^3\./);
    // Every route of the one table, and nothing else (the web client's static files are not API paths).
    expect(Object.keys(doc.paths).sort()).toEqual([...new Set(Object.values(apiRoutes).map((r) => r.path))].sort());
    expect(Object.keys(doc.paths)).toContain('/v1/datasets/publish');
    expect(doc.paths['/v1/offers']?.post?.requestBody).toBeDefined();
    expect(doc.paths['/v1/offers']?.post?.operationId).toBe('publishOffer');
  });

  it('exports Prometheus metrics with units in their names', async () => {
    const { node, api } = await startNode(1);
    await api.publishOffer({ body: sampleOffer() });
    const text = await (await fetch(`${node.apiUrl}/metrics`)).text();
    expect(text).toMatch(/^aic_offers_published_total 1$/m);
    expect(text).toMatch(/aic_http_requests_total\{method="POST",route="\/v1\/offers",status="201"\} 1/);
    expect(text).toContain('aic_state_write_duration_seconds_bucket');
  });

  it('keeps its own and received offers across a restart', async () => {
    const a = await startNode(1);
    const b = await startNode(2);
    const own = await a.api.publishOffer({ body: sampleOffer() });
    const theirs = await b.api.publishOffer({ body: sampleOffer({ offerId: 'b-offer' }) });
    await a.node.stop();
    const again = await startNode(1, join(dir, 'n1'));
    const all = (await again.api.listOffers()).offers.map((o) => o.offerId).sort();
    expect(all).toEqual([own.offerId, theirs.offerId].sort());
    expect((await again.api.status()).peerId).toBe(a.node.peerId);
  });

  it('refuses a data directory that belongs to another key', async () => {
    const a = await startNode(1);
    await a.node.stop();
    const error = await startNode(3, join(dir, 'n1')).catch((e: unknown) => e);
    expect(isAicError(error, 'NODE_IDENTITY_MISMATCH')).toBe(true);
  });

  it('fails cleanly when its API port is taken, leaving nothing running', async () => {
    const a = await startNode(1);
    const port = Number(new URL(a.node.apiUrl).port);
    const second = createAicNode(
      { dataDir: join(dir, 'n2'), listen: [], bootstrap: [], apiHost: '127.0.0.1', apiPort: port },
      { privateKey: keyOf(2), logger, createNetwork: hub.factory },
    );
    const error = await second.start().catch((e: unknown) => e);
    expect(isAicError(error, 'NODE_API_LISTEN_FAILED')).toBe(true);
    expect((error as Error).message).toContain('EADDRINUSE');
    expect([...hub.members.keys()]).toEqual([a.node.peerId]); // the second network was stopped again
  });

  it('stops when its abort signal fires', async () => {
    const node = createAicNode(
      { dataDir: join(dir, 'sig'), listen: [], bootstrap: [], apiHost: '127.0.0.1', apiPort: 0 },
      { privateKey: keyOf(9), logger, createNetwork: hub.factory },
    );
    const controller = new AbortController();
    await node.start(controller.signal);
    const url = node.apiUrl;
    controller.abort();
    await node.stopped;
    const error = await createApiClient(url, { timeoutMs: 2000 })
      .status()
      .catch((e: unknown) => e);
    expect(isAicError(error, 'API_UNREACHABLE')).toBe(true);
  });
});
