import { AicError } from '@aic/core';
import { describe, expect, it } from 'vitest';
import { errorToResponse, httpStatusOfCode } from '../../src/api/errors.ts';

describe('API error mapping', () => {
  it.each([
    ['API_INVALID_REQUEST', 400],
    ['KEYSTORE_INVALID', 400],
    ['NETWORK_MESSAGE_MALFORMED', 400],
    ['NETWORK_MESSAGE_TOO_LARGE', 400],
    ['ACCOUNT_NOT_FOUND', 404],
    ['ACCOUNT_EXISTS_CONFLICT', 409],
    ['LEDGER_UNAVAILABLE', 503],
    ['NETWORK_PUBLISH_FAILED', 503],
    ['LEDGER_TX_REVERTED', 502],
    ['SOMETHING_ELSE', 500],
  ] as const)('maps %s to HTTP %i', (code, status) => {
    expect(httpStatusOfCode(code)).toBe(status);
  });

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
});
