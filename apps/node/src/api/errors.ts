import { AicError, isAicError } from '@aic/core';
import { decodeRevert } from '@aic/ledger';
import { hasZodFastifySchemaValidationErrors } from 'fastify-type-provider-zod';
import { BaseError } from 'viem';
import { boundDetails, truncateText } from './bounded.ts';
import { type ApiErrorStatus, httpStatusOfCode } from './error-status.ts';
import type { ApiErrorBody } from './schemas.ts';

export { httpStatusOfCode } from './error-status.ts';

/** Asset kinds as the AssetRegistry numbers them (AssetTypes.sol). */
const ASSET_KIND_NAMES = ['Data', 'Dataset', 'Model', 'TrainedAI'] as const;

/** Maps anything a request can throw (validation, parse, AicError, a revert, bug) to a status and a typed body. */
export function errorToResponse(error: unknown): { status: ApiErrorStatus; body: ApiErrorBody } {
  if (hasZodFastifySchemaValidationErrors(error)) {
    const issues = error.validation.map((v) => ({ path: v.instancePath, message: v.message ?? 'invalid' }));
    const where = error.validationContext ?? 'request';
    return {
      status: 400,
      body: {
        code: 'API_INVALID_REQUEST',
        message: truncateText(`invalid ${where}: ${summarize(issues)}`),
        details: boundDetails({ issues: issues.slice(0, 10) }),
      },
    };
  }
  const typed = toTypedError(error);
  if (typed !== undefined) {
    return {
      status: httpStatusOfCode(typed.code),
      body: { code: typed.code, message: truncateText(typed.message), details: boundDetails(typed.details) },
    };
  }
  const client = fastifyClientError(error);
  if (client !== undefined) return client;
  return { status: 500, body: { code: 'API_INTERNAL', message: 'internal error', details: {} } };
}

/** An AicError as it is, a chain revert as a typed error naming the contract's reason, else undefined. */
export function toTypedError(error: unknown): AicError | undefined {
  if (isAicError(error)) {
    if (error.code !== 'LEDGER_REVERTED' || typeof error.details.errorName !== 'string') return error;
    const args = Array.isArray(error.details.args) ? (error.details.args as unknown[]) : [];
    return revertToError(error.details.errorName, args, error);
  }
  if (!(error instanceof BaseError)) return undefined;
  const revert = decodeRevert(error);
  if (revert) return revertToError(revert.errorName, [...revert.args], error);
  return new AicError('LEDGER_CALL_FAILED', `chain call failed: ${error.shortMessage}`, { cause: error });
}

/** The contract's custom errors a caller can cause with its input, as the API's own codes. */
function revertToError(errorName: string, args: unknown[], cause: unknown): AicError {
  const arg = (i: number) => String(args[i]);
  switch (errorName) {
    case 'JobNotFound':
      return new AicError('JOB_NOT_FOUND', `job ${arg(0)} does not exist`, { details: { jobId: arg(0) }, cause });
    case 'AssetKindMismatch': {
      const kind = ASSET_KIND_NAMES[Number(args[1])] ?? `kind ${arg(1)}`;
      return new AicError(
        'JOB_ASSET_KIND_MISMATCH',
        `asset #${arg(0)} is a ${kind} NFT: a job's model must be a Model NFT and its dataset a Dataset NFT`,
        { details: { assetId: arg(0), kind }, cause },
      );
    }
    case 'InvalidJobRequest':
      return new AicError('JOB_REQUEST_INVALID', `the market refused the job: ${arg(0)}`, {
        details: { reason: arg(0) },
        cause,
      });
    default:
      return new AicError('LEDGER_REVERTED', `the chain refused the call: ${errorName}`, {
        details: { errorName, args: args.map((a) => truncateText(String(a), 100)).slice(0, 8) },
        cause,
      });
  }
}

/** Fastify's own client errors (malformed JSON, wrong content type, body too large) in the API's format. */
function fastifyClientError(error: unknown): { status: ApiErrorStatus; body: ApiErrorBody } | undefined {
  const statusCode = (error as { statusCode?: unknown } | null)?.statusCode;
  if (typeof statusCode !== 'number' || statusCode < 400 || statusCode >= 500) return undefined;
  const message = truncateText(error instanceof Error ? error.message : 'bad request');
  const fastifyCode = (error as { code?: unknown }).code;
  const details = typeof fastifyCode === 'string' ? { fastifyCode } : {};
  if (statusCode === 413) return { status: 413, body: { code: 'API_BODY_TOO_LARGE', message, details } };
  if (statusCode === 414) return { status: 414, body: { code: 'API_URI_TOO_LONG', message, details } };
  if (statusCode === 431) return { status: 431, body: { code: 'API_HEADERS_TOO_LARGE', message, details } };
  return { status: 400, body: { code: 'API_INVALID_REQUEST', message, details } };
}

function summarize(issues: Array<{ path: string; message: string }>): string {
  const first = issues[0];
  if (first === undefined) return 'invalid';
  const more = issues.length > 1 ? ` (+${issues.length - 1} more)` : '';
  return `${first.path || '(root)'} ${first.message}${more}`;
}

export { errorBodyToAicError } from './error-body.ts';
