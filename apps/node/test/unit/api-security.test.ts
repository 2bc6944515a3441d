import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { AicError, aicToWei, isAicError } from '@aic/core';
import { toHex } from 'viem';
import { privateKeyToAccount } from 'viem/accounts';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { apiTokenPath, readApiToken } from '../../src/api/api-token.ts';
import { loadSpendingGuard } from '../../src/api/budget.ts';
import { createApiClient } from '../../src/api/client.ts';
import { type ApiHandlerComponents, createApiHandlers } from '../../src/api/handlers.ts';
import { eip712RequestSigner } from '../../src/api/request-signature.ts';
import { type ApiServer, createApiServer } from '../../src/api/server.ts';
import type { JobServices } from '../../src/jobs/job-services.ts';
import { createRootLogger } from '../../src/logger.ts';
import { createNodeMetrics } from '../../src/metrics.ts';
import { type AicNode, type AicNodeInit, createAicNode } from '../../src/node.ts';
import { sampleOffer } from '../helpers/fixtures.ts';
import { createMemoryHub } from '../helpers/memory-network.ts';
import { rawRequest } from '../helpers/raw-http.ts';

const silent = createRootLogger({ level: 'silent' });
const keyOf = (n: number) => Uint8Array.from({ length: 32 }, (_, i) => (i === 31 ? n : 9));
const offerBody = JSON.stringify(sampleOffer());

describe('node API security (real server, in-memory network)', () => {
  let dir: string;
  let hub: ReturnType<typeof createMemoryHub>;
  const nodes: AicNode[] = [];
  let logText = '';

  const startNode = async (n: number, api?: AicNodeInit['api']) => {
    const logger = createRootLogger({
      level: 'debug',
      destination: new Writable({
        write(chunk, _enc, done) {
          logText += String(chunk);
          done();
        },
      }),
    });
    const dataDir = join(dir, `n${n}`);
    const node = createAicNode(
      { dataDir, listen: [], bootstrap: [], apiHost: '127.0.0.1', apiPort: 0, ...(api ? { api } : {}) },
      { privateKey: keyOf(n), logger, createNetwork: hub.factory },
    );
    await node.start();
    nodes.push(node);
    return { node, dataDir, port: Number(new URL(node.apiUrl).port), token: readApiToken(dataDir) };
  };

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'aic-api-sec-'));
    hub = createMemoryHub();
    logText = '';
  });
  afterEach(async () => {
    await Promise.all(nodes.splice(0).map((n) => n.stop()));
    await rm(dir, { recursive: true, force: true });
  });

  it('creates a 0600 token file at first start, keeps it across restarts, and never logs the token', async () => {
    const a = await startNode(1);
    expect((await stat(apiTokenPath(a.dataDir))).mode & 0o777).toBe(0o600);
    expect(a.node.apiTokenFile).toBe(apiTokenPath(a.dataDir));
    await a.node.stop();
    const again = await startNode(1);
    expect(again.token).toBe(a.token);
    expect(logText).toContain(apiTokenPath(a.dataDir));
    // A refused and an accepted write, then the whole log: the token appears nowhere.
    await rawRequest(again.node.apiUrl, { method: 'POST', path: '/v1/offers', body: offerBody });
    await createApiClient(again.node.apiUrl, { token: again.token }).publishOffer({ body: sampleOffer() });
    expect(logText).not.toContain(again.token);
  });

  it('refuses a write without the token (401) and publishes nothing; reads stay open', async () => {
    const a = await startNode(1);
    const b = await startNode(2);
    for (const authorization of [undefined, 'Bearer wrong-token-of-the-right-shape-0123456789abc', a.token]) {
      const res = await rawRequest(a.node.apiUrl, {
        method: 'POST',
        path: '/v1/offers',
        body: offerBody,
        headers: authorization === undefined ? {} : { authorization },
      });
      expect(res.status).toBe(401);
      expect(res.json().code).toBe('API_UNAUTHORIZED');
      expect(res.headers['www-authenticate']).toBe('Bearer');
    }
    const error = await createApiClient(a.node.apiUrl)
      .publishOffer({ body: sampleOffer() })
      .catch((e: unknown) => e);
    expect(isAicError(error, 'API_UNAUTHORIZED')).toBe(true);
    const reader = createApiClient(a.node.apiUrl);
    expect((await reader.listOffers({ query: { source: 'own' } })).offers).toEqual([]);
    expect((await createApiClient(b.node.apiUrl).listOffers()).offers).toEqual([]);
    expect((await reader.status()).peerId).toBe(a.node.peerId);
    // With the token the same write goes through.
    const ok = await createApiClient(a.node.apiUrl, { token: a.token }).publishOffer({ body: sampleOffer() });
    expect(ok.provider).toBe(a.node.address);
  });

  it("refuses a Host that is not the API's own (DNS rebinding) with 403, even with the token", async () => {
    const a = await startNode(1);
    const authorization = `Bearer ${a.token}`;
    for (const host of [
      'evil.example',
      `evil.example:${a.port}`,
      `127.0.0.1:${a.port + 1}`,
      `localhost.evil:${a.port}`,
    ]) {
      for (const [method, body] of [
        ['GET', undefined],
        ['POST', offerBody],
      ] as const) {
        const res = await rawRequest(a.node.apiUrl, {
          method,
          path: method === 'GET' ? '/v1/status' : '/v1/offers',
          headers: { host, authorization },
          ...(body === undefined ? {} : { body }),
        });
        expect(res.status, `${method} Host ${host}`).toBe(403);
        expect(res.json().code).toBe('API_HOST_FORBIDDEN');
      }
    }
    expect((await createApiClient(a.node.apiUrl).listOffers({ query: { source: 'own' } })).offers).toEqual([]);
    for (const host of [`127.0.0.1:${a.port}`, `localhost:${a.port}`, `LOCALHOST:${a.port}`]) {
      expect((await rawRequest(a.node.apiUrl, { path: '/v1/status', headers: { host } })).status).toBe(200);
    }
  });

  it('refuses a foreign Origin with 403 and accepts its own and configured ones', async () => {
    const a = await startNode(1, { allowedOrigins: ['https://wallet.example'] });
    const authorization = `Bearer ${a.token}`;
    const post = (origin: string) =>
      rawRequest(a.node.apiUrl, {
        method: 'POST',
        path: '/v1/offers',
        body: offerBody,
        headers: { origin, authorization },
      });
    for (const origin of ['https://evil.example', 'null', `http://127.0.0.1:${a.port + 1}`]) {
      const res = await post(origin);
      expect(res.status, origin).toBe(403);
      expect(res.json().code).toBe('API_ORIGIN_FORBIDDEN');
    }
    expect((await createApiClient(a.node.apiUrl).listOffers({ query: { source: 'own' } })).offers).toEqual([]);
    expect((await post(`http://localhost:${a.port}`)).status).toBe(201);
    expect((await post('https://wallet.example')).status).toBe(201);
  });

  it("accepts an EIP-712 signature by the node's account instead of the token, once, fresh, for this body", async () => {
    const a = await startNode(1);
    const own = privateKeyToAccount(toHex(keyOf(1)));
    expect(own.address).toBe(a.node.address);
    const signed = createApiClient(a.node.apiUrl, { sign: eip712RequestSigner(own) });
    expect((await signed.publishOffer({ body: sampleOffer({ offerId: 'signed' }) })).offerId).toBe('signed');

    const sign = eip712RequestSigner(own);
    const post = async (headers: Record<string, string>, body = offerBody) =>
      rawRequest(a.node.apiUrl, { method: 'POST', path: '/v1/offers', body, headers });
    const headers = await sign({ method: 'POST', path: '/v1/offers', body: offerBody });
    expect((await post(headers)).status).toBe(201);
    const replay = await post(headers);
    expect(replay.status).toBe(401);
    expect(replay.json().message).toContain('already used');
    const tampered = await post(
      await sign({ method: 'POST', path: '/v1/offers', body: offerBody }),
      JSON.stringify(sampleOffer({ offerId: 'other' })),
    );
    expect(tampered.status).toBe(401);
    const stale = await eip712RequestSigner(
      own,
      () => Date.now() - 10 * 60_000,
    )({
      method: 'POST',
      path: '/v1/offers',
      body: offerBody,
    });
    expect((await post(stale)).status).toBe(401);
    const stranger = privateKeyToAccount(toHex(keyOf(2)));
    const foreign = await post(
      await eip712RequestSigner(stranger)({ method: 'POST', path: '/v1/offers', body: offerBody }),
    );
    expect(foreign.status).toBe(401);
    expect(foreign.json().code).toBe('API_UNAUTHORIZED');
    const own2 = (await createApiClient(a.node.apiUrl).listOffers({ query: { source: 'own' } })).offers;
    // The token-less signed writes went through twice (client, raw); the refused ones added nothing.
    expect(own2).toHaveLength(2);
    expect(own2.map((o) => o.offerId)).toContain('signed');
  });

  it('accepts a configured host name', async () => {
    const a = await startNode(1, { allowedHosts: ['aic-node.lan'] });
    expect(
      (await rawRequest(a.node.apiUrl, { path: '/v1/status', headers: { host: `aic-node.lan:${a.port}` } })).status,
    ).toBe(200);
  });

  it('answers an oversize query in the API format (431 from the parser, 414 over the API limit)', async () => {
    const a = await startNode(1);
    const huge = await rawRequest(a.node.apiUrl, { path: `/v1/offers?source=${'x'.repeat(60_000)}` });
    expect(huge.status).toBe(431);
    expect(huge.json().code).toBe('API_HEADERS_TOO_LARGE');
    const long = await rawRequest(a.node.apiUrl, { path: `/v1/offers?source=${'x'.repeat(8_000)}` });
    expect(long.status).toBe(414);
    expect(long.json()).toMatchObject({ code: 'API_URI_TOO_LONG', details: {} });
    expect((await createApiClient(a.node.apiUrl).status()).peerId).toBe(a.node.peerId);
  });

  it('refuses numbers beyond their on-chain types before anything is gossiped', async () => {
    const a = await startNode(1);
    const b = await startNode(2);
    const api = createApiClient(a.node.apiUrl, { token: a.token });
    const tooBig = (2n ** 256n).toString();
    const res = await rawRequest(a.node.apiUrl, {
      method: 'POST',
      path: '/v1/offers',
      body: JSON.stringify({ ...sampleOffer(), priceWeiPerHour: tooBig }),
      headers: { authorization: `Bearer ${a.token}` },
    });
    expect(res.status).toBe(400);
    expect(res.json()).toMatchObject({ code: 'API_INVALID_REQUEST' });
    expect(res.json().message).toContain('priceWeiPerHour');
    const max = (2n ** 256n - 1n).toString();
    expect((await api.publishOffer({ body: sampleOffer({ priceWeiPerHour: max }) })).priceWeiPerHour).toBe(max);
    expect((await createApiClient(b.node.apiUrl).listOffers()).offers.map((o) => o.priceWeiPerHour)).toEqual([max]);

    const submit = (body: Record<string, unknown>) =>
      rawRequest(a.node.apiUrl, {
        method: 'POST',
        path: '/v1/jobs/submit',
        body: JSON.stringify({ datasetId: '1', modelId: '2', budgetAic: '40', ...body }),
        headers: { authorization: `Bearer ${a.token}` },
      });
    for (const bad of [
      { budgetAic: '79228162515' }, // > uint96 max in wei
      { verifierFeeAic: '100000000000' },
      { modelId: '4294967296' }, // > uint32
      { datasetId: '99999999999' },
      { seed: 2 ** 32 },
    ]) {
      const r = await submit(bad);
      expect(r.status, JSON.stringify(bad)).toBe(400);
      expect(r.json().code).toBe('API_INVALID_REQUEST');
    }
    // In range, it reaches the handler: no chain here, so 503.
    expect((await submit({ budgetAic: '79228162514' })).status).toBe(503);
  });
});

describe('budget caps and unknown jobs (API server over a stub requester)', () => {
  let dir: string;
  let server: ApiServer | undefined;
  const submitted: unknown[] = [];
  const TOTAL_WEI = aicToWei('46'); // what the stub quotes for any job

  const quote = {
    totalWei: TOTAL_WEI,
    providerWei: aicToWei('40'),
    protocolFeeWei: aicToWei('1'),
    datasetFeeWei: aicToWei('1'),
    modelFeeWei: aicToWei('1'),
    verifierFeeWei: aicToWei('3'),
    segments: 4,
    totalSteps: 100,
    samples: 2,
    pDetect: 0.99,
    overhead: 0.5,
    verification: { mode: 'exact' as const },
  };
  const requester = {
    quote: async () => quote,
    submit: async (input: unknown) => {
      submitted.push(input);
      return { jobId: BigInt(submitted.length), escrowWei: TOTAL_WEI, quote };
    },
    status: async (jobId: bigint) => {
      if (jobId > BigInt(submitted.length)) {
        throw new AicError('LEDGER_REVERTED', 'jobOf reverted with JobNotFound', {
          details: { errorName: 'JobNotFound', args: [jobId] },
        });
      }
      return {
        jobId,
        state: 'Escrowed',
        // No provider yet: the zero address, as the chain's jobOf answers (the status then asks no lead for a group).
        provider: '0x0000000000000000000000000000000000000000',
        verifier: '0x0000000000000000000000000000000000000000',
        resumeFrom: 0,
        checkpointCount: 4,
        commitments: 0,
      };
    },
    logs: async () => [],
  };

  const startServer = async (caps: { perJobAic?: string; perDayAic?: string }, nowMs = () => Date.now()) => {
    const metrics = createNodeMetrics();
    const spending = await loadSpendingGuard(
      {
        path: join(dir, 'spending.json'),
        caps: {
          ...(caps.perJobAic ? { perJobWei: aicToWei(caps.perJobAic) } : {}),
          ...(caps.perDayAic ? { perDayWei: aicToWei(caps.perDayAic) } : {}),
        },
      },
      { logger: silent, metrics, now: nowMs },
    );
    const handlers = createApiHandlers({
      jobServices: { requester, stop: () => undefined } as unknown as JobServices,
      spending,
      logger: silent,
      metrics,
    } as unknown as ApiHandlerComponents);
    const token = 'test-token-0123456789abcdefghijklmnopqrstuv';
    server = await createApiServer(
      { host: '127.0.0.1', port: 0, version: 'test', access: { token } },
      { handlers, metrics, logger: silent },
    );
    const url = await server.start();
    return { url, api: createApiClient(url, { token }), spending };
  };
  const body = { datasetId: '1', modelId: '2', budgetAic: '40' };

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'aic-api-budget-'));
    submitted.length = 0;
  });
  afterEach(async () => {
    await server?.stop();
    server = undefined;
    await rm(dir, { recursive: true, force: true });
  });

  it('refuses a job over the per-job cap with 422 and escrows nothing', async () => {
    const { api, spending } = await startServer({ perJobAic: '45' });
    const error = await api.submitJob({ body }).catch((e: unknown) => e);
    expect(isAicError(error, 'API_BUDGET_CAP_EXCEEDED')).toBe(true);
    expect((error as AicError).details).toMatchObject({
      httpStatus: 422,
      cap: 'per job',
      capWei: String(aicToWei('45')),
    });
    expect(submitted).toHaveLength(0);
    expect(spending.spentTodayWei()).toBe(0n);
  });

  it('counts escrows per UTC day, refuses the one over the daily cap, and starts afresh the next day', async () => {
    let now = Date.parse('2026-12-01T23:00:00Z');
    const { api, spending } = await startServer({ perJobAic: '100', perDayAic: '100' }, () => now);
    await api.submitJob({ body });
    await api.submitJob({ body });
    expect(spending.spentTodayWei()).toBe(2n * TOTAL_WEI);
    const error = await api.submitJob({ body }).catch((e: unknown) => e);
    expect(isAicError(error, 'API_BUDGET_CAP_EXCEEDED')).toBe(true);
    expect((error as AicError).details).toMatchObject({ cap: 'per day', spentTodayWei: String(2n * TOTAL_WEI) });
    expect(submitted).toHaveLength(2);
    const onDisk = JSON.parse(await readFile(join(dir, 'spending.json'), 'utf8')) as { day: string; spentWei: string };
    expect(onDisk).toEqual({ day: '2026-12-01', spentWei: String(2n * TOTAL_WEI) });
    now += 2 * 3_600_000; // 01:00 UTC the next day
    await api.submitJob({ body });
    expect(submitted).toHaveLength(3);
    expect(spending.spentTodayWei()).toBe(TOTAL_WEI);
  });

  it('lets concurrent submits through only up to the daily cap', async () => {
    const { api } = await startServer({ perDayAic: '100' });
    const results = await Promise.allSettled([1, 2, 3, 4].map(() => api.submitJob({ body })));
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(2);
    expect(submitted).toHaveLength(2);
  });

  it('answers the status and logs of an unknown job with 404 in the API format', async () => {
    const { url, api } = await startServer({});
    await api.submitJob({ body });
    expect((await api.jobStatus({ query: { jobId: '1' } })).state).toBe('Escrowed');
    for (const path of ['/v1/jobs/status?jobId=999999', '/v1/jobs/logs?jobId=999999']) {
      const res = await rawRequest(url, { path });
      expect(res.status, path).toBe(404);
      expect(res.json()).toEqual({
        code: 'JOB_NOT_FOUND',
        message: 'job 999999 does not exist',
        details: { jobId: '999999' },
      });
    }
    expect((await api.jobLogs({ query: { jobId: '1' } })).lines).toEqual([]);
  });
});

describe('the typed client', () => {
  it('says a slow node timed out (API_TIMEOUT), not that it is unreachable', async () => {
    const never: typeof fetch = (_input, init) =>
      new Promise((_resolve, reject) => {
        init?.signal?.addEventListener('abort', () => reject(init.signal?.reason), { once: true });
      });
    const error = await createApiClient('http://127.0.0.1:9', { fetch: never, timeoutMs: 50 })
      .status()
      .catch((e: unknown) => e);
    expect(isAicError(error, 'API_TIMEOUT')).toBe(true);
    expect((error as Error).message).toContain('within 50 ms');
  });
});
