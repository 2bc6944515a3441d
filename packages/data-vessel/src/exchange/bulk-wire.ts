import { BULK_SECRET_BYTES, BULK_TICKET_BYTES } from './bulk-crypto.ts';

/**
 * The bulk path's negotiation on libp2p: the fetcher sends one byte (the version), the holder answers one grant:
 * status ‖ uint16 TCP port ‖ ticket ‖ secret (length-prefixed, inside the Noise-secured stream).
 */
export const BULK_PROTOCOL = '/aic/data-bulk/1.0.0';

/** The version byte a fetcher sends. */
export const BULK_VERSION = 1;

/** Bytes of a grant: status, port, ticket, secret. */
export const BULK_GRANT_BYTES = 1 + 2 + BULK_TICKET_BYTES + BULK_SECRET_BYTES;

/** Bounds of the bulk server (README "Limits"); per-connection and total chunk limits are the chunk server's. */
export const BULK_LIMITS = {
  /** Unused tickets one peer may hold (one per fetch and holder is the norm). */
  ticketsPerPeer: 4,
  ticketsTotal: 256,
  /** A ticket not used within this long is forgotten. */
  ticketTtlMs: 15_000,
  /** A connection must show its ticket within this long. */
  handshakeTimeoutMs: 10_000,
  /** Open bulk connections (ticketed or not yet); more are refused by the listener. */
  maxConnections: 128,
} as const;

export const BulkGrantStatus = { ok: 0, busy: 1 } as const;
export type BulkGrantStatus = (typeof BulkGrantStatus)[keyof typeof BulkGrantStatus];

export type BulkGrant =
  | { readonly status: typeof BulkGrantStatus.ok; readonly port: number; ticket: Uint8Array; secret: Uint8Array }
  | { readonly status: typeof BulkGrantStatus.busy };

export function encodeBulkGrant(grant: BulkGrant): Uint8Array {
  const out = new Uint8Array(BULK_GRANT_BYTES);
  out[0] = grant.status;
  if (grant.status === BulkGrantStatus.ok) {
    new DataView(out.buffer).setUint16(1, grant.port, false);
    out.set(grant.ticket, 3);
    out.set(grant.secret, 3 + BULK_TICKET_BYTES);
  }
  return out;
}

/** A grant as received; undefined when it is malformed (the fetcher then uses the libp2p stream). */
export function decodeBulkGrant(bytes: Uint8Array): BulkGrant | undefined {
  if (bytes.length !== BULK_GRANT_BYTES) return undefined;
  if (bytes[0] === BulkGrantStatus.busy) return { status: BulkGrantStatus.busy };
  const port = new DataView(bytes.buffer, bytes.byteOffset, bytes.length).getUint16(1, false);
  if (bytes[0] !== BulkGrantStatus.ok || port === 0) return undefined;
  const ticket = bytes.slice(3, 3 + BULK_TICKET_BYTES);
  return { status: BulkGrantStatus.ok, port, ticket, secret: bytes.slice(3 + BULK_TICKET_BYTES) };
}

/** The parts of a multiaddr this module reads (a @multiformats/multiaddr Multiaddr has them). */
interface AddressLike {
  getComponents(): readonly { readonly name: string; readonly value?: string }[];
}

/** The IP host and TCP port of a plain `/ip4|ip6/…/tcp/…` address (not WebSockets, not relayed), else undefined. */
export function tcpHostOf(address: AddressLike): { host: string; port: number } | undefined {
  const parts = address.getComponents();
  const [ip, tcp, next] = parts;
  if (!ip || !tcp || (ip.name !== 'ip4' && ip.name !== 'ip6') || tcp.name !== 'tcp') return undefined;
  if (next !== undefined && next.name !== 'p2p') return undefined;
  if (ip.value === undefined || tcp.value === undefined) return undefined;
  return { host: ip.value, port: Number(tcp.value) };
}

/**
 * Where a holder binds its bulk port: the one host its libp2p TCP addresses name (127.0.0.1 on a devnet), or every
 * interface when libp2p listens on several; undefined when it has no plain TCP address.
 */
export function bulkListenHost(addresses: readonly AddressLike[]): string | undefined {
  const hosts = new Set<string>();
  for (const address of addresses) {
    const tcp = tcpHostOf(address);
    if (tcp) hosts.add(tcp.host);
  }
  if (hosts.size === 0) return undefined;
  if (hosts.size === 1) return [...hosts][0];
  return [...hosts].some((h) => h.includes(':')) ? '::' : '0.0.0.0';
}
