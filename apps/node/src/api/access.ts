import { createHash, timingSafeEqual } from 'node:crypto';
import { AicError } from '@aic/core';
import { type Address, type Hex, isAddressEqual, recoverTypedDataAddress } from 'viem';
import { apiRequestTypedData, SIGNATURE_MAX_AGE_MS } from './request-signature.ts';

/** What the owner configures about who may talk to the API (besides the token). */
export interface ApiAccessInit {
  /** Bearer token every write (non-GET) must carry. */
  token: string;
  /** Host names (or host:port) accepted in `Host` besides 127.0.0.1, localhost, [::1] and the API's own host. */
  allowedHosts?: readonly string[] | undefined;
  /** Origins (scheme://host:port) accepted in `Origin` besides the API's own. */
  allowedOrigins?: readonly string[] | undefined;
  /** The node's account: an EIP-712 request signature by it is accepted instead of the token. Absent = token only. */
  signer?: Address | undefined;
}

/** The allow-lists and token digest for one listening address. */
export interface AccessPolicy {
  hosts: ReadonlySet<string>;
  origins: ReadonlySet<string>;
  tokenDigest: Buffer;
  signer: Address | undefined;
}

/** The parts of a request the policy looks at. */
export interface AccessRequest {
  method: string;
  host: string | undefined;
  origin: string | undefined;
  authorization: string | undefined;
  /** The EIP-712 credential's headers, when sent. */
  signature?: string | undefined;
  signedAt?: string | undefined;
  /** A route that needs no token (RouteDef `access: 'open'`: it spends nothing of the node's, or checks a wallet's
   * signature itself). */
  openRoute?: boolean | undefined;
}

const LOOPBACK_NAMES = ['127.0.0.1', 'localhost', '[::1]'];
const WILDCARD_HOSTS = new Set(['0.0.0.0', '::', '[::]', '']);
/** Methods that only read: they need no token (the API has no PUT/PATCH/DELETE today; any would need one). */
const READ_METHODS = new Set(['GET', 'HEAD']);

/** Builds the policy once the API listens on `port` (Host and Origin carry the port). */
export function accessPolicy(init: ApiAccessInit, apiHost: string, port: number): AccessPolicy {
  const own = WILDCARD_HOSTS.has(apiHost)
    ? []
    : [apiHost.includes(':') && !apiHost.startsWith('[') ? `[${apiHost}]` : apiHost];
  const hosts = new Set<string>();
  for (const name of [...LOOPBACK_NAMES, ...own, ...(init.allowedHosts ?? [])]) {
    hosts.add(hasPort(name) ? name.toLowerCase() : `${name.toLowerCase()}:${port}`);
  }
  const origins = new Set([...hosts].map((h) => `http://${h}`));
  for (const origin of init.allowedOrigins ?? []) origins.add(normalizeOrigin(origin));
  return { hosts, origins, tokenDigest: digest(init.token), signer: init.signer };
}

/**
 * Why a request is refused, `'signature'` when its EIP-712 signature must be checked once the body is read
 * ({@link checkRequestSignature}), or undefined when it may proceed: a foreign `Host` (DNS rebinding) is 403
 * API_HOST_FORBIDDEN, a foreign `Origin` 403 API_ORIGIN_FORBIDDEN, a write without the token 401 API_UNAUTHORIZED.
 * Runs before the body is read, so a refused request costs nothing.
 */
export function checkAccess(request: AccessRequest, policy: AccessPolicy): AicError | 'signature' | undefined {
  const host = request.host?.toLowerCase();
  if (host === undefined || !policy.hosts.has(host)) {
    return new AicError(
      'API_HOST_FORBIDDEN',
      `Host ${JSON.stringify(request.host?.slice(0, 100) ?? '')} is not this API's`,
      {
        details: { allowed: [...policy.hosts] },
      },
    );
  }
  if (request.origin !== undefined && !policy.origins.has(normalizeOrigin(request.origin))) {
    return new AicError(
      'API_ORIGIN_FORBIDDEN',
      `Origin ${JSON.stringify(request.origin.slice(0, 100))} is not allowed`,
      {
        details: { allowed: [...policy.origins] },
      },
    );
  }
  if (READ_METHODS.has(request.method.toUpperCase())) return undefined;
  if (request.openRoute === true) return undefined;
  if (request.authorization === undefined && request.signature !== undefined && policy.signer !== undefined) {
    return 'signature';
  }
  const match = /^Bearer\s+(\S+)\s*$/i.exec(request.authorization ?? '');
  if (match?.[1] === undefined || !timingSafeEqual(digest(match[1]), policy.tokenDigest)) {
    return new AicError(
      'API_UNAUTHORIZED',
      `${request.method} needs the node's API token: send "Authorization: Bearer <token>" with the token from <data-dir>/node/api-token`,
      { details: { scheme: 'Bearer' } },
    );
  }
  return undefined;
}

/** Signatures already used, so a captured request cannot be replayed within its freshness window. */
export interface SeenSignatures {
  /** False when `signature` was seen before; records it until `expiresAtMs`. */
  claim(signature: string, nowMs: number, expiresAtMs: number): boolean;
}

export function createSeenSignatures(maxEntries = 10_000): SeenSignatures {
  const seen = new Map<string, number>();
  return {
    claim(signature, nowMs, expiresAtMs) {
      const key = signature.toLowerCase();
      if ((seen.get(key) ?? 0) > nowMs) return false;
      for (const [k, until] of seen) if (until <= nowMs || seen.size >= maxEntries) seen.delete(k);
      seen.set(key, expiresAtMs);
      return true;
    },
  };
}

/**
 * Checks the EIP-712 credential of a write: signed by the node's account over this method, path, exact body and a
 * time within {@link SIGNATURE_MAX_AGE_MS} of `nowMs`, and not used before. 401 API_UNAUTHORIZED otherwise.
 */
export async function checkRequestSignature(
  request: AccessRequest & { path: string; body: string | undefined },
  policy: AccessPolicy,
  seen: SeenSignatures,
  nowMs: number,
): Promise<AicError | undefined> {
  const refuse = (why: string) =>
    new AicError('API_UNAUTHORIZED', `request signature refused: ${why}`, { details: { scheme: 'EIP-712' } });
  const signer = policy.signer;
  if (signer === undefined || request.signature === undefined) return refuse('no signature');
  if (!/^0x[0-9a-fA-F]{130}$/.test(request.signature)) return refuse('not a 65-byte hex signature');
  const signedAtMs = /^[0-9]{1,15}$/.test(request.signedAt ?? '') ? Number(request.signedAt) : Number.NaN;
  if (!Number.isSafeInteger(signedAtMs) || Math.abs(nowMs - signedAtMs) > SIGNATURE_MAX_AGE_MS) {
    return refuse(`x-aic-signed-at must be within ${SIGNATURE_MAX_AGE_MS / 60_000} minutes of the node's clock`);
  }
  let recovered: Address;
  try {
    recovered = await recoverTypedDataAddress({
      ...apiRequestTypedData(signer, request, signedAtMs),
      signature: request.signature as Hex,
    });
  } catch {
    return refuse('malformed signature');
  }
  if (!isAddressEqual(recovered, signer)) return refuse("not signed by this node's account for this request");
  if (!seen.claim(request.signature, nowMs, signedAtMs + SIGNATURE_MAX_AGE_MS)) return refuse('already used');
  return undefined;
}

function hasPort(host: string): boolean {
  return host.startsWith('[') ? /\]:\d+$/.test(host) : /^[^:]+:\d+$/.test(host);
}

function normalizeOrigin(origin: string): string {
  return origin.trim().toLowerCase().replace(/\/+$/, '');
}

/** Fixed-length digests so the comparison takes the same time whatever the length of what was sent. */
function digest(token: string): Buffer {
  return createHash('sha256').update(token).digest();
}
