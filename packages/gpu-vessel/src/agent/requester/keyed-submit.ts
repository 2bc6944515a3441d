/**
 * What a keyed (idempotent) submit needs besides the agent: which failures may be tried again, the check that a key
 * is reused for the same terms only, and the wait for an account's transactions to leave the mempool before the
 * chain is asked whether the escrow landed.
 */
import { AicError, pause } from '@aic/core';
import type { LedgerClient } from '@aic/ledger';
import type { Address } from 'viem';
import { ticketHash } from '../../jobs/job-ticket.ts';

/** Tries of a keyed submit whose chain call failed on the way (issue 18's soak: with 10 % of RPC requests failing,
 * a submit's ~20 calls all succeed only one time in eight). */
export const KEYED_SUBMIT_ATTEMPTS = 6;
/** Longest wait for an account's transactions in the mempool before a keyed submit looks for its lost escrow. */
const PENDING_TX_WAIT_MS = 15_000;

/** An RPC request that failed in transport (viem's HttpRequestError: a dropped connection or an HTTP error status;
 * its TimeoutError), raw or wrapped as LEDGER_CALL_FAILED: the call may be repeated. A revert never is one. */
export function isRpcTransportFailure(error: unknown): boolean {
  for (let e: unknown = error, depth = 0; e instanceof Error && depth < 8; e = e.cause, depth++) {
    if (e.name === 'HttpRequestError' || e.name === 'TimeoutError') return true;
  }
  return false;
}

/** A key is one request: sending its ticket again for other terms would escrow what the client did not ask now. */
export function checkSameTerms(sent: Uint8Array, encode: (nonce: string) => Uint8Array): void {
  const nonce = (JSON.parse(new TextDecoder().decode(sent)) as { nonce: string }).nonce;
  if (ticketHash(encode(nonce)) !== ticketHash(sent)) {
    throw new AicError('JOB_IDEMPOTENCY_CONFLICT', 'this idempotency key was used for a job with other terms', {
      details: { specHash: ticketHash(sent) },
    });
  }
}

/** Waits, bounded, until `address`'s pending nonce equals its mined one (a failed read only waits longer). */
export async function awaitNoPendingTransaction(ledger: LedgerClient, address: Address): Promise<void> {
  const { publicClient } = ledger;
  const until = Date.now() + PENDING_TX_WAIT_MS;
  while (Date.now() < until) {
    const counts = await (async () =>
      await Promise.all([
        publicClient.getTransactionCount({ address, blockTag: 'pending' }),
        publicClient.getTransactionCount({ address, blockTag: 'latest' }),
      ]))().catch(() => undefined);
    if (counts && counts[0] <= counts[1]) return;
    await pause(500);
  }
}
