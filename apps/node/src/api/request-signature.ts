import type { Address, Hex, TypedDataDomain } from 'viem';
import { keccak256, stringToBytes } from 'viem';

// The alternative API credential for browser wallets: an EIP-712 signature of the request by the node's own account.
// Shared by the server (verification) and clients (signing); no server code here.

/** Headers carrying the signature and the time it was made (unix ms). */
export const SIGNATURE_HEADER = 'x-aic-signature';
export const SIGNED_AT_HEADER = 'x-aic-signed-at';
/** How far a signature's time may be from the node's clock. */
export const SIGNATURE_MAX_AGE_MS = 5 * 60_000;

export const API_REQUEST_DOMAIN = { name: 'AIC node API', version: '1' } as const satisfies TypedDataDomain;

/** What is signed: the node the request is for, method, path with query, the exact body bytes' hash, the time. */
export const API_REQUEST_TYPES = {
  ApiRequest: [
    { name: 'node', type: 'address' },
    { name: 'method', type: 'string' },
    { name: 'path', type: 'string' },
    { name: 'bodyHash', type: 'bytes32' },
    { name: 'signedAtMs', type: 'uint64' },
  ],
} as const;

export interface SignedRequest {
  method: string;
  /** Path and query string exactly as sent, e.g. `/v1/jobs/submit`. */
  path: string;
  /** The exact body text sent ('' or undefined when none). */
  body: string | undefined;
}

/** The EIP-712 typed data of a request (for `signTypedData` / `eth_signTypedData_v4` and for verification). */
export function apiRequestTypedData(node: Address, request: SignedRequest, signedAtMs: number) {
  return {
    domain: API_REQUEST_DOMAIN,
    types: API_REQUEST_TYPES,
    primaryType: 'ApiRequest' as const,
    message: {
      node,
      method: request.method.toUpperCase(),
      path: request.path,
      bodyHash: keccak256(stringToBytes(request.body ?? '')),
      signedAtMs: BigInt(signedAtMs),
    },
  };
}

/** An account that signs typed data (a viem local account, or a browser wallet behind the same shape). */
export interface TypedDataSigner {
  address: Address;
  signTypedData(typedData: ReturnType<typeof apiRequestTypedData>): Promise<Hex>;
}

/**
 * The `sign` option of `createApiClient` for the node whose account `account` is: every write carries an EIP-712
 * signature instead of the API token.
 *
 * @example
 * const api = createApiClient(url, { sign: eip712RequestSigner(privateKeyToAccount(key)) });
 */
export function eip712RequestSigner(account: TypedDataSigner, now: () => number = Date.now) {
  return async (request: SignedRequest): Promise<Record<string, string>> => {
    const signedAtMs = now();
    const signature = await account.signTypedData(apiRequestTypedData(account.address, request, signedAtMs));
    return { [SIGNATURE_HEADER]: signature, [SIGNED_AT_HEADER]: String(signedAtMs) };
  };
}
