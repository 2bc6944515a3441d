import { AicError, isAicError } from '@aic/core';
import { hasZodFastifySchemaValidationErrors } from 'fastify-type-provider-zod';
import type { ApiErrorBody } from './schemas.ts';

/** HTTP status for an error code: by suffix, so new codes get a sensible status without editing this. */
export function httpStatusOfCode(code: string): number {
  if (code.endsWith('_INVALID') || code === 'API_INVALID_REQUEST') return 400;
  // The network refused to sign/send what the caller asked for (its wire schema or size bound).
  if (code.endsWith('_MALFORMED') || code.endsWith('_TOO_LARGE')) return 400;
  if (code === 'NETWORK_PUBLISH_FAILED' || code === 'NETWORK_NOT_STARTED') return 503;
  if (code.endsWith('_NOT_FOUND')) return 404;
  if (code.endsWith('_CONFLICT')) return 409;
  if (code.endsWith('_UNAVAILABLE')) return 503;
  if (code.startsWith('LEDGER_')) return 502;
  return 500;
}

/** Maps anything a request can throw (validation, parse, AicError, bug) to a status and a typed body. */
export function errorToResponse(error: unknown): { status: number; body: ApiErrorBody } {
  if (hasZodFastifySchemaValidationErrors(error)) {
    const issues = error.validation.map((v) => ({ path: v.instancePath, message: v.message ?? 'invalid' }));
    const where = error.validationContext ?? 'request';
    return {
      status: 400,
      body: { code: 'API_INVALID_REQUEST', message: `invalid ${where}: ${summarize(issues)}`, details: { issues } },
    };
  }
  if (isAicError(error)) {
    return {
      status: httpStatusOfCode(error.code),
      body: { code: error.code, message: error.message, details: error.toJSON().details },
    };
  }
  const statusCode = (error as { statusCode?: unknown }).statusCode;
  if (typeof statusCode === 'number' && statusCode >= 400 && statusCode < 500) {
    // Fastify's own client errors: malformed JSON, wrong content type, body too large.
    const message = error instanceof Error ? error.message : 'bad request';
    const fastifyCode = (error as { code?: unknown }).code;
    return {
      status: statusCode,
      body: {
        code: statusCode === 413 ? 'API_BODY_TOO_LARGE' : 'API_INVALID_REQUEST',
        message,
        details: typeof fastifyCode === 'string' ? { fastifyCode } : {},
      },
    };
  }
  return { status: 500, body: { code: 'API_INTERNAL', message: 'internal error', details: {} } };
}

function summarize(issues: Array<{ path: string; message: string }>): string {
  const first = issues[0];
  if (first === undefined) return 'invalid';
  const more = issues.length > 1 ? ` (+${issues.length - 1} more)` : '';
  return `${first.path || '(root)'} ${first.message}${more}`;
}

/** Rebuilds the AicError a server answered with, for the client side. */
export function errorBodyToAicError(status: number, body: ApiErrorBody): AicError {
  return new AicError(body.code, body.message, { details: { ...body.details, httpStatus: status } });
}
