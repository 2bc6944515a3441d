import { AicError } from '@aic/core';

/** Stable codes of the errors this package throws (tests, API bodies and logs key on them). */
export const NETWORK_ERROR_CODES = [
  'NETWORK_INVALID_PRIVATE_KEY',
  'NETWORK_NOT_SECP256K1_PEER',
  'NETWORK_MESSAGE_TOO_LARGE',
  'NETWORK_MESSAGE_MALFORMED',
  'NETWORK_BAD_SIGNATURE',
  'NETWORK_REPLAYED_MESSAGE',
  'NETWORK_STALE_MESSAGE',
  'NETWORK_SENDER_MISMATCH',
  'NETWORK_NOT_STARTED',
  'NETWORK_PROTOCOL_NOT_HANDLED',
  'NETWORK_REQUEST_TIMEOUT',
  'NETWORK_REQUEST_FAILED',
  'NETWORK_REMOTE_ERROR',
  'NETWORK_PEER_BANNED',
  'NETWORK_TOO_MANY_STREAMS',
  'NETWORK_RATE_LIMITED',
  'NETWORK_PUBLISH_FAILED',
] as const;

/** One of {@link NETWORK_ERROR_CODES}. */
export type NetworkErrorCode = (typeof NETWORK_ERROR_CODES)[number];

/** An error raised by the network layer; `code` is one of {@link NetworkErrorCode}. */
export class NetworkError extends AicError<NetworkErrorCode> {
  override readonly name = 'NetworkError';
}
