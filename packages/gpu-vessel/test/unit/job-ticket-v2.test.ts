import { isAicError } from '@aic/core';
import type { LedgerClient } from '@aic/ledger';
import { irisTemplate } from '@aic/model-vessel';
import { keccak256 } from 'viem';
import { describe, expect, it } from 'vitest';
import { checkTicketAssets } from '../../src/jobs/job-assets.ts';
import { decodeJobTicket, encodeJobTicket, type JobTicket, ticketHash } from '../../src/jobs/job-ticket.ts';

const manifestText = JSON.stringify(irisTemplate.manifest, null, 2);
const manifestRoot = keccak256(new TextEncoder().encode(manifestText));
const spec = { backend: 'cpu' as const, seed: 3, commitEverySteps: 5, hyperparameters: { epochs: 2 } };
const v2 = {
  spec,
  dataset: { assetId: '7' },
  model: { assetId: '8', manifest: manifestText },
  nonce: 'n-1',
};

async function codeOf(run: () => unknown): Promise<string | undefined> {
  try {
    await run();
  } catch (error) {
    return isAicError(error) ? error.code : `not an AicError: ${String(error)}`;
  }
  return undefined;
}

const decode = (bytes: Uint8Array) => decodeJobTicket(bytes, ticketHash(bytes));
const rawBytes = (value: unknown) => new TextEncoder().encode(JSON.stringify(value));

/** A ledger whose registry answers `assets` by id (an unknown id reads as kind Data with a zero root, like the chain). */
function ledgerWith(assets: Record<string, { kind: number; contentRoot: `0x${string}` }>): LedgerClient {
  const zero = `0x${'0'.repeat(64)}` as const;
  return {
    registry: {
      read: {
        assetOf: async ([id]: [bigint]) => ({
          manifestCid: '',
          ...(assets[String(id)] ?? { kind: 0, contentRoot: zero }),
        }),
      },
    },
  } as unknown as LedgerClient;
}

describe('job ticket v2 (assets by id)', () => {
  it('round-trips: the manifest travels once, as its exact text, and decodes into spec.manifest', () => {
    const bytes = encodeJobTicket(v2);
    const asset = decode(bytes);
    expect(asset.format).toBe('aic-job-ticket/2');
    expect(asset.model.manifest).toBe(manifestText);
    expect(asset.spec.manifest).toEqual(irisTemplate.manifest);
    expect(asset.dataset).toEqual({ assetId: '7' });
    expect(JSON.parse(new TextDecoder().decode(bytes)).spec.manifest).toBeUndefined();
  });

  it('does not write a spec.manifest passed along (the bytes are the only copy)', () => {
    const withParsed = encodeJobTicket({ ...v2, spec: { ...spec, manifest: { other: true } } });
    expect(withParsed).toEqual(encodeJobTicket(v2));
  });

  it('refuses the retired template form (v1) with its own code: a final answer, whatever the rest holds', async () => {
    const v1 = { format: 'aic-job-ticket/1', spec: { ...spec, manifest: irisTemplate.manifest }, nonce: 'n' };
    expect(await codeOf(() => decode(rawBytes({ ...v1, dataset: 'template:iris/train' })))).toBe(
      'JOB_TICKET_UNSUPPORTED',
    );
    expect(await codeOf(() => decode(rawBytes({ ...v1, dataset: { assetId: '7' } })))).toBe('JOB_TICKET_UNSUPPORTED');
    // still checked against the escrowed hash first: bytes that are not the paid ticket are a mismatch
    const bytes = rawBytes({ ...v1, dataset: 'template:iris/train' });
    expect(await codeOf(() => decodeJobTicket(bytes, ticketHash(rawBytes({}))))).toBe('JOB_TICKET_MISMATCH');
  });

  it('refuses a manifest that is not JSON, a bad asset id and extra fields (JOB_TICKET_INVALID)', async () => {
    const wire = { format: 'aic-job-ticket/2', ...v2 };
    expect(await codeOf(() => decode(rawBytes({ ...wire, model: { assetId: '8', manifest: '{not json' } })))).toBe(
      'JOB_TICKET_INVALID',
    );
    expect(await codeOf(() => decode(rawBytes({ ...wire, dataset: { assetId: '0' } })))).toBe('JOB_TICKET_INVALID');
    expect(await codeOf(() => decode(rawBytes({ ...wire, dataset: { assetId: '7', path: '/etc' } })))).toBe(
      'JOB_TICKET_INVALID',
    );
    expect(await codeOf(() => decode(rawBytes({ ...wire, format: 'aic-job-ticket/3' })))).toBe('JOB_TICKET_INVALID');
  });

  it('refuses bytes that do not hash to the escrowed specHash (JOB_TICKET_MISMATCH)', async () => {
    const bytes = encodeJobTicket(v2);
    expect(await codeOf(() => decodeJobTicket(bytes, ticketHash(rawBytes({}))))).toBe('JOB_TICKET_MISMATCH');
  });
});

describe('checkTicketAssets (the ticket against the chain)', () => {
  const ticket: JobTicket = decode(encodeJobTicket(v2));
  const job = { datasetId: 7, modelId: 8 };
  const good = {
    '7': { kind: 1, contentRoot: `0x${'ab'.repeat(32)}` as const },
    '8': { kind: 2, contentRoot: manifestRoot },
  };

  it('accepts a Dataset NFT and a Model NFT whose root is keccak256 of the manifest bytes', async () => {
    const assets = await checkTicketAssets(ledgerWith(good), ticket, job);
    expect(assets.model.contentRoot).toBe(manifestRoot);
  });

  it('accepts a TrainedAI NFT as the base model', async () => {
    expect(
      await codeOf(() =>
        checkTicketAssets(ledgerWith({ ...good, '8': { kind: 3, contentRoot: manifestRoot } }), ticket, job),
      ),
    ).toBe(undefined);
  });

  it('refuses a model whose manifest bytes do not hash to its root (JOB_MODEL_ROOT_MISMATCH)', async () => {
    const other = { ...good, '8': { kind: 2, contentRoot: keccak256(new TextEncoder().encode(`${manifestText} `)) } };
    expect(await codeOf(() => checkTicketAssets(ledgerWith(other), ticket, job))).toBe('JOB_MODEL_ROOT_MISMATCH');
  });

  it('refuses a dataset id that is a Model NFT, a model id that is a Dataset NFT, an unminted id', async () => {
    const swapped = { '7': { kind: 2, contentRoot: manifestRoot }, '8': { kind: 1, contentRoot: manifestRoot } };
    expect(await codeOf(() => checkTicketAssets(ledgerWith(swapped), ticket, job))).toBe('JOB_ASSET_KIND_MISMATCH');
    expect(await codeOf(() => checkTicketAssets(ledgerWith({ '8': good['8'] }), ticket, job))).toBe(
      'JOB_ASSET_KIND_MISMATCH',
    );
  });

  it('refuses a ticket naming other assets than the escrowed job (JOB_TICKET_ASSET_MISMATCH)', async () => {
    expect(await codeOf(() => checkTicketAssets(ledgerWith(good), ticket, { datasetId: 9, modelId: 8 }))).toBe(
      'JOB_TICKET_ASSET_MISMATCH',
    );
  });
});
