import type { NetworkErrorCode } from '../errors.ts';

/** What a peer did wrong, as the app-level score sees it. */
export type Offence =
  | 'malformed'
  | 'oversized'
  | 'bad-signature'
  | 'replayed'
  | 'stale'
  | 'sender-mismatch'
  | 'stream-abuse'
  | 'rate-limited'
  | 'protocol-violation';

/**
 * Points an offence costs. A peer starts at 0, honest peers never go below it, and the ban threshold
 * (default −100) is reached after ~5 forged signatures, ~10 malformed/oversized/replayed messages or
 * ~20 streams over the limit.
 */
export const OFFENCE_PENALTY: Readonly<Record<Offence, number>> = {
  malformed: 10,
  oversized: 10,
  'bad-signature': 20,
  replayed: 10,
  // Stale/future messages can come from an honest peer with a bad clock: cheap.
  stale: 2,
  'sender-mismatch': 20,
  'stream-abuse': 5,
  'rate-limited': 2,
  'protocol-violation': 10,
};

/** The offence behind a wire error code, or undefined when the error is not the peer's fault. */
export function offenceOfErrorCode(code: NetworkErrorCode | string): Offence | undefined {
  switch (code) {
    case 'NETWORK_MESSAGE_MALFORMED':
      return 'malformed';
    case 'NETWORK_MESSAGE_TOO_LARGE':
      return 'oversized';
    case 'NETWORK_BAD_SIGNATURE':
      return 'bad-signature';
    case 'NETWORK_REPLAYED_MESSAGE':
      return 'replayed';
    case 'NETWORK_STALE_MESSAGE':
      return 'stale';
    case 'NETWORK_SENDER_MISMATCH':
      return 'sender-mismatch';
    case 'NETWORK_TOO_MANY_STREAMS':
      return 'stream-abuse';
    case 'NETWORK_RATE_LIMITED':
      return 'rate-limited';
    default:
      return undefined;
  }
}
