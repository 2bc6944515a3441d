/** The key-release rule (release-rule.ts) against a stubbed chain: who may receive a dataset key, and when. */
import { computeMarketAbi, JobState } from '@aic/ledger';
import { encodeErrorResult } from 'viem';
import { describe, expect, it } from 'vitest';
import { datasetReleaseRule } from '../../src/data/release-rule.ts';

const PROVIDER = '0x1111111111111111111111111111111111111111' as const;
const VERIFIER = '0x2222222222222222222222222222222222222222' as const;
const ARBITER = '0x3333333333333333333333333333333333333333' as const;
const BUYER = '0x4444444444444444444444444444444444444444' as const;
const STRANGER = '0x5555555555555555555555555555555555555555' as const;
const ZERO = '0x0000000000000000000000000000000000000000';
const NO_JOB = `0x${'0'.repeat(64)}` as const;
const JOB_7 = `0x${'7'.padStart(64, '0')}` as const;

/** A revert as the chain reports one: ComputeMarket's JobNotFound, its data somewhere in the cause chain. */
function revert(id: bigint): Error {
  const data = encodeErrorResult({ abi: computeMarketAbi, errorName: 'JobNotFound', args: [id] });
  return Object.assign(new Error('reverted'), { data });
}

function ledger(o: { state?: number; datasetId?: number; licenseId?: number; kind?: number; uses?: bigint } = {}) {
  const job = {
    datasetId: o.datasetId ?? 3,
    state: o.state ?? JobState.Running,
    provider: PROVIDER,
    verifier: ZERO,
  };
  return {
    market: {
      read: {
        jobOf: async ([id]: readonly [bigint]) => {
          if (id !== 7n) throw revert(id);
          return job;
        },
        designatedVerifier: async () => VERIFIER,
        hasRole: async ([, who]: readonly [unknown, string]) => who === ARBITER,
      },
    },
    registry: { read: { assetOf: async () => ({ kind: o.kind ?? 1, licenseId: o.licenseId ?? 0 }) } },
    plaza: {
      read: {
        usesLeft: async ([, who]: readonly [bigint, string]) => (who === BUYER ? (o.uses ?? 1n) : 0n),
        hasAccess: async () => false,
      },
    },
  } as never;
}

describe('dataset key release rule', () => {
  it("releases to a funded job's provider, drawn verifier and arbiters, and no one else", async () => {
    const may = datasetReleaseRule(ledger());
    for (const worker of [PROVIDER, VERIFIER, ARBITER]) {
      expect(await may({ datasetId: '3', worker, jobId: JOB_7 })).toBe(true);
    }
    expect(await may({ datasetId: '3', worker: STRANGER, jobId: JOB_7 })).toBe(false);
    expect(await may({ datasetId: '3', worker: BUYER, jobId: JOB_7 })).toBe(false);
  });

  it('refuses a job on another dataset, an unfunded or final job, and an unknown job', async () => {
    expect(await datasetReleaseRule(ledger({ datasetId: 4 }))({ datasetId: '3', worker: PROVIDER, jobId: JOB_7 })).toBe(
      false,
    );
    for (const state of [JobState.Created, JobState.Settled, JobState.Refunded, JobState.Expired, JobState.Slashed]) {
      expect(await datasetReleaseRule(ledger({ state }))({ datasetId: '3', worker: PROVIDER, jobId: JOB_7 })).toBe(
        false,
      );
    }
    const unknownJob = `0x${'8'.padStart(64, '0')}` as const;
    expect(await datasetReleaseRule(ledger())({ datasetId: '3', worker: PROVIDER, jobId: unknownJob })).toBe(false);
  });

  it('without a job: a usage right only where the licence allows download', async () => {
    expect(await datasetReleaseRule(ledger({ licenseId: 1 }))({ datasetId: '3', worker: BUYER, jobId: NO_JOB })).toBe(
      true,
    );
    expect(await datasetReleaseRule(ledger({ licenseId: 0 }))({ datasetId: '3', worker: BUYER, jobId: NO_JOB })).toBe(
      false,
    );
    expect(
      await datasetReleaseRule(ledger({ licenseId: 1, uses: 0n }))({ datasetId: '3', worker: BUYER, jobId: NO_JOB }),
    ).toBe(false);
    expect(
      await datasetReleaseRule(ledger({ licenseId: 1, kind: 2 }))({ datasetId: '3', worker: BUYER, jobId: NO_JOB }),
    ).toBe(false);
    expect(await datasetReleaseRule(ledger({ licenseId: 1 }))({ datasetId: 'x', worker: BUYER, jobId: NO_JOB })).toBe(
      false,
    );
  });

  it('throws (so nothing is released) when the chain cannot be asked', async () => {
    const down = { market: { read: { jobOf: async () => Promise.reject(new Error('ECONNREFUSED')) } } } as never;
    await expect(datasetReleaseRule(down)({ datasetId: '3', worker: PROVIDER, jobId: JOB_7 })).rejects.toThrow(
      /ECONNREFUSED/,
    );
  });
});
