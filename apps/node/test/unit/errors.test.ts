import { ALLOCATOR_ERROR_CODES } from '@aic/allocator';
import { AicError, CORE_ERROR_CODES } from '@aic/core';
import { GPU_VESSEL_ERROR_CODES } from '@aic/gpu-vessel';
import { LEDGER_ERROR_CODES } from '@aic/ledger';
import { MODEL_VESSEL_ERROR_CODES } from '@aic/model-vessel';
import { NETWORK_ERROR_CODES } from '@aic/network';
import { VERIFICATION_ERROR_CODES } from '@aic/verification';
import { BaseError } from 'viem';
import { describe, expect, it } from 'vitest';
import { boundedError, boundLogFields } from '../../src/api/bounded.ts';
import { API_ERROR_STATUS, httpStatusOfCode } from '../../src/api/error-status.ts';
import { errorToResponse } from '../../src/api/errors.ts';
import { API_ERROR_CODES, NODE_ERROR_CODES } from '../../src/errors.ts';

const ALL_RAISABLE = [
  ...API_ERROR_CODES,
  ...NODE_ERROR_CODES,
  ...CORE_ERROR_CODES,
  ...LEDGER_ERROR_CODES,
  ...NETWORK_ERROR_CODES,
  ...GPU_VESSEL_ERROR_CODES,
  ...MODEL_VESSEL_ERROR_CODES,
  ...VERIFICATION_ERROR_CODES,
  ...ALLOCATOR_ERROR_CODES,
];
const ALLOWED = [400, 401, 403, 404, 409, 413, 414, 422, 429, 431, 500, 502, 503];

describe('API error statuses', () => {
  it('has an explicit status for every code a handler can raise, and nothing else', () => {
    for (const code of ALL_RAISABLE) {
      expect(Object.hasOwn(API_ERROR_STATUS, code), code).toBe(true);
      expect(ALLOWED, code).toContain(httpStatusOfCode(code));
    }
    expect(Object.keys(API_ERROR_STATUS).sort()).toEqual([...new Set(ALL_RAISABLE)].sort());
  });

  it.each([
    ['API_INVALID_REQUEST', 400],
    ['API_UNAUTHORIZED', 401],
    ['API_HOST_FORBIDDEN', 403],
    ['API_ORIGIN_FORBIDDEN', 403],
    ['JOB_ACCESS_DENIED', 403], // the suffix guess answered 500
    ['JOB_NOT_FOUND', 404],
    ['ACCOUNT_EXISTS_CONFLICT', 409],
    ['API_BUDGET_CAP_EXCEEDED', 422],
    ['JOB_ASSET_KIND_MISMATCH', 422],
    ['LEDGER_REVERTED', 422],
    ['NETWORK_RATE_LIMITED', 429],
    ['LEDGER_CALL_FAILED', 502],
    ['LEDGER_UNAVAILABLE', 503],
    ['NETWORK_PUBLISH_FAILED', 503],
    ['SOMETHING_NO_PACKAGE_DECLARES', 500],
  ] as const)('maps %s to HTTP %i', (code, status) => {
    expect(httpStatusOfCode(code)).toBe(status);
  });
});

describe('API error bodies', () => {
  it('keeps code, message and details of an AicError', () => {
    const error = new AicError('ACCOUNT_NOT_FOUND', 'no such account', { details: { address: '0x1' } });
    expect(errorToResponse(error)).toEqual({
      status: 404,
      body: { code: 'ACCOUNT_NOT_FOUND', message: 'no such account', details: { address: '0x1' } },
    });
  });

  it('hides the message of an unexpected error', () => {
    expect(errorToResponse(new TypeError('secret internals'))).toEqual({
      status: 500,
      body: { code: 'API_INTERNAL', message: 'internal error', details: {} },
    });
  });

  it('turns the contract reverts a caller causes into typed 404 / 422 errors', () => {
    const revert = (errorName: string, args: unknown[]) =>
      new AicError('LEDGER_REVERTED', `quote reverted with ${errorName}`, { details: { errorName, args } });
    expect(errorToResponse(revert('JobNotFound', [999999n]))).toEqual({
      status: 404,
      body: { code: 'JOB_NOT_FOUND', message: 'job 999999 does not exist', details: { jobId: '999999' } },
    });
    const kind = errorToResponse(revert('AssetKindMismatch', [1n, 1]));
    expect(kind.status).toBe(422);
    expect(kind.body.code).toBe('JOB_ASSET_KIND_MISMATCH');
    expect(kind.body.message).toContain('asset #1 is a Dataset NFT');
    expect(errorToResponse(revert('SomethingElse', [])).body.code).toBe('LEDGER_REVERTED');
  });

  it('bounds messages and details, so a 32 KB ABI never reaches a body', () => {
    const abi = 'x'.repeat(40_000);
    const { body } = errorToResponse(new AicError('LEDGER_CALL_FAILED', abi, { details: { abi } }));
    expect(JSON.stringify(body).length).toBeLessThan(2048);
    expect(body.details.truncated).toBe(true);
  });

  it('reports a non-revert viem failure as 502 LEDGER_CALL_FAILED', () => {
    const { status, body } = errorToResponse(new BaseError('fetch failed'));
    expect(status).toBe(502);
    expect(body.code).toBe('LEDGER_CALL_FAILED');
  });
});

describe('bounded log fields', () => {
  it('keeps an error with a huge enumerable property (a viem ABI) under 2 KiB', () => {
    const error = Object.assign(new Error(`call failed\n${'detail '.repeat(5000)}`), {
      abi: Array.from({ length: 2000 }, (_, i) => ({ type: 'function', name: `f${i}` })),
      cause: new Error('inner'),
    });
    const line = JSON.stringify(
      boundLogFields({ err: error, other: 'y'.repeat(10_000), nested: { big: 'z'.repeat(5000) } }),
    );
    expect(line.length).toBeLessThan(2048 * 2);
    expect(JSON.stringify(boundedError(error)).length).toBeLessThan(2048);
    expect(boundedError(error)).toMatchObject({ type: 'Error', message: 'call failed', causes: ['inner'] });
  });
});
