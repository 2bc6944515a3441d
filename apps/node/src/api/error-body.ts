import { AicError } from '@aic/core';
import type { ApiErrorBody } from './schemas.ts';

// Shared by the server and the typed client (no server code here).

/** Rebuilds the AicError a server answered with, for the client side. */
export function errorBodyToAicError(status: number, body: ApiErrorBody): AicError {
  return new AicError(body.code, body.message, { details: { ...body.details, httpStatus: status } });
}
