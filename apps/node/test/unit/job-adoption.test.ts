/**
 * Jobs a browser wallet pays (issue 14), without a chain: the adoption statement is accepted only from the job's
 * requester, fresh, for an open job; the placement diagnosis names each blocker; the job event stream sends status,
 * progress and placement as server-sent events, and a client that goes away leaves the node serving.
 */
import { AicError, isAicError } from '@aic/core';
import Fastify from 'fastify';
import type { Address } from 'viem';
import { generatePrivateKey, privateKeyToAccount } from 'viem/accounts';
import { afterEach, describe, expect, it } from 'vitest';
import { registerJobEvents } from '../../src/api/job-events.ts';
import type { Offer } from '../../src/api/schemas.ts';
import { createAdoptHandlers } from '../../src/jobs/adopt-handlers.ts';
import { JOB_ADOPTION_TYPED_DATA } from '../../src/jobs/adopt-schemas.ts';
import type { JobServices } from '../../src/jobs/job-services.ts';
import { diagnosePlacement, type PlacementInputs } from '../../src/jobs/placement-diagnosis.ts';

const NODE = privateKeyToAccount(generatePrivateKey()).address;
const payer = privateKeyToAccount(generatePrivateKey());
const stranger = privateKeyToAccount(generatePrivateKey());
const NOW = 1_800_000_000_000;

function fakeJobs(state = 'Escrowed', own = false) {
  const adopted: bigint[] = [];
  const jobs = {
    ledger: { account: () => NODE, deployment: { chainId: 31337, contracts: {} } },
    requester: {
      payerJobFacts: async (jobId: bigint) => ({ jobId, requester: payer.address, state, escrowWei: 12n }),
      isOwn: async () => own,
      adopt: async (jobId: bigint) => {
        adopted.push(jobId);
        return { jobId, requester: payer.address, state, escrowWei: 12n, adopted: true };
      },
    },
  } as unknown as JobServices;
  return { jobs, adopted };
}

const sign = (account: typeof payer, jobId: bigint, signedAtMs: number, node: Address = NODE) =>
  account.signTypedData({ ...JOB_ADOPTION_TYPED_DATA, message: { node, jobId, signedAtMs: BigInt(signedAtMs) } });

async function refusal(promise: Promise<unknown>): Promise<AicError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!isAicError(error)) throw new Error(`expected an AicError, got ${String(error)}`);
  return error;
}

describe('POST /v1/jobs/adopt', () => {
  it("takes the job on with its requester's fresh signature", async () => {
    const { jobs, adopted } = fakeJobs();
    const adopt = createAdoptHandlers(jobs, () => NOW).adoptJob;
    const signature = await sign(payer, 7n, NOW - 1_000);
    const answer = await adopt({ body: { jobId: '7', signedAtMs: NOW - 1_000, signature }, query: undefined });
    expect(answer).toMatchObject({ jobId: '7', requester: payer.address, adopted: true, escrowWei: '12' });
    expect(adopted).toEqual([7n]);
  });

  it('refuses another signer, another node, a stale signature and a finished job', async () => {
    const { jobs, adopted } = fakeJobs();
    const adopt = createAdoptHandlers(jobs, () => NOW).adoptJob;
    const body = async (account: typeof payer, at = NOW, node: Address = NODE) => ({
      body: { jobId: '7', signedAtMs: at, signature: await sign(account, 7n, at, node) },
      query: undefined,
    });
    expect((await refusal(adopt(await body(stranger)))).code).toBe('API_UNAUTHORIZED');
    expect((await refusal(adopt(await body(payer, NOW, stranger.address)))).code).toBe('API_UNAUTHORIZED');
    expect((await refusal(adopt(await body(payer, NOW - 10 * 60_000)))).code).toBe('API_UNAUTHORIZED');
    const settled = createAdoptHandlers(fakeJobs('Settled').jobs, () => NOW).adoptJob;
    expect((await refusal(settled(await body(payer)))).code).toBe('JOB_REQUEST_INVALID');
    expect(adopted).toEqual([]);
  });
});

describe('placement diagnosis', () => {
  const offer = (provider: string) => ({ provider }) as Offer;
  const inputs = (o: {
    coordinator: boolean;
    keyless?: boolean;
    offers: Offer[];
    registered?: Record<string, number>;
  }): PlacementInputs => ({
    market: {
      read: {
        hasRole: async ([, who]) => o.coordinator && who === '0xc0',
        getRoleMemberCount: async () => (o.keyless ? 0n : 1n),
        providerOf: async ([who]) => ({
          stake: 100n,
          hwClass: o.registered?.[who] ?? 0,
          registered: o.registered?.[who] !== undefined,
        }),
        minStakeOf: async () => 50n,
      },
    },
    peerAddresses: () => ['0xc0', undefined, '0xp1'],
    offers: () => o.offers,
  });
  const job = { requester: '0xr', minHwClass: 1 };

  it('names each blocker in turn', async () => {
    const blocker = async (i: PlacementInputs) => (await diagnosePlacement(i, job)).blocker;
    expect(await blocker(inputs({ coordinator: false, offers: [offer('0xp1')] }))).toBe('no-coordinator');
    // A keyless market (nobody holds the allocator role): anyone may place, so no coordinator is looked for.
    expect(await blocker(inputs({ coordinator: false, keyless: true, offers: [] }))).toBe('no-offers');
    expect(await blocker(inputs({ coordinator: true, offers: [] }))).toBe('no-offers');
    expect(await blocker(inputs({ coordinator: true, offers: [offer('0xR')] }))).toBe('only-own-offers');
    const lowClass = inputs({ coordinator: true, offers: [offer('0xp1')], registered: { '0xp1': 0 } });
    expect(await blocker(lowClass)).toBe('no-offer-of-class');
    const fits = inputs({ coordinator: true, offers: [offer('0xp1')], registered: { '0xp1': 2 } });
    const diagnosis = await diagnosePlacement(fits, job);
    expect(diagnosis).toMatchObject({ blocker: 'awaiting-challenge', offers: 1, eligibleOffers: 1 });
    expect(diagnosis.reason).toContain('challenge');
  });
});

describe('GET /v1/jobs/events', () => {
  const apps: Array<{ close(): Promise<unknown> }> = [];
  afterEach(async () => {
    for (const app of apps.splice(0)) await app.close();
  });

  it('streams status, progress and placement, and keeps serving after a client leaves', async () => {
    const listeners = new Set<(jobId: bigint, what: string) => void>();
    const lines = [{ atMs: 1, step: 1, totalSteps: 4, loss: 1.5, provider: '0xp1' }];
    const jobs = {
      ledger: {
        market: {
          read: {
            jobOf: async () => ({ requester: '0xr', minHwClass: 0 }),
            hasRole: async () => false,
            getRoleMemberCount: async () => 1n,
            providerOf: async () => ({ stake: 0n, hwClass: 0, registered: false }),
            minStakeOf: async () => 0n,
          },
        },
      },
      requester: {
        onUpdate: (listener: (jobId: bigint, what: string) => void) => {
          listeners.add(listener);
          return () => listeners.delete(listener);
        },
        status: async (jobId: bigint) => {
          if (jobId !== 3n) throw new AicError('JOB_NOT_FOUND', `no job ${jobId}`);
          // No provider yet: the zero address, as the chain's jobOf answers (no lead is asked for a group).
          const none = '0x0000000000000000000000000000000000000000';
          return { jobId, state: 'Escrowed', provider: none, verifier: none, resumeFrom: 0, checkpointCount: 4 };
        },
        logs: async () => lines,
        isOwn: async () => true,
      },
    } as unknown as JobServices;
    const app = Fastify();
    apps.push(app);
    registerJobEvents(app, { jobs: () => jobs, peerAddresses: () => [], offers: () => [] });
    const url = await app.listen({ host: '127.0.0.1', port: 0 });

    const missing = await fetch(`${url}/v1/jobs/events?jobId=4`);
    expect(missing.status).not.toBe(200);
    const bad = await fetch(`${url}/v1/jobs/events?jobId=x`);
    expect(bad.status).not.toBe(200);

    const abort = new AbortController();
    const response = await fetch(`${url}/v1/jobs/events?jobId=3`, { signal: abort.signal });
    expect(response.headers.get('content-type')).toContain('text/event-stream');
    const reader = response.body!.getReader();
    let text = '';
    const seen = (event: string) => text.includes(`event: ${event}\n`);
    const decoder = new TextDecoder();
    const readUntil = async (event: string) => {
      while (!seen(event)) text += decoder.decode((await reader.read()).value);
    };
    await readUntil('placement');
    expect(seen('status')).toBe(true);
    expect(seen('progress')).toBe(true);
    expect(text).toContain('No coordinator');
    lines.push({ atMs: 2, step: 2, totalSteps: 4, loss: 1.2, provider: '0xp1' });
    for (const listener of listeners) listener(3n, 'step 2/4');
    while ((text.match(/event: progress\n/g) ?? []).length < 2) text += decoder.decode((await reader.read()).value);
    abort.abort();
    await expect.poll(() => listeners.size).toBe(0);
    const again = await fetch(`${url}/v1/jobs/events?jobId=4`);
    expect(again.status).not.toBe(200); // still answering
  });
});
