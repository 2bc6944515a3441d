/**
 * What every job role (requester, provider, verifier, coordinator) runs on: the node's libp2p network, a ledger
 * client signing with the node's key, one serial queue for that key's transactions, the market watcher, a logger.
 */
import { AicError, isAicError } from '@aic/core';
import type { LedgerClient } from '@aic/ledger';
import { computeMarketAbi } from '@aic/ledger';
import type { AicNetwork } from '@aic/network';
import type { Hex } from 'viem';
import type { MarketWatcher } from '../chain/market-watcher.ts';

export interface AgentLogger {
  info(obj: object, msg: string): void;
  warn(obj: object, msg: string): void;
  error(obj: object, msg: string): void;
}

export interface AgentContext {
  net: AicNetwork;
  ledger: LedgerClient;
  /** Serializes this key's transactions (nonces). */
  send: <T>(task: () => Promise<T>) => Promise<T>;
  watcher: MarketWatcher;
  log: AgentLogger;
  signal: AbortSignal;
}

/** The PeerId of a connected peer whose key is `address`, waiting up to `timeoutMs` for it to connect. */
export async function peerOfAddress(ctx: AgentContext, address: string, timeoutMs = 15_000): Promise<string> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const peer = ctx.net.getPeers().find((p) => p.address?.toLowerCase() === address.toLowerCase());
    if (peer) return peer.peerId;
    if (Date.now() > until || ctx.signal.aborted) {
      throw new AicError('JOB_PEER_UNREACHABLE', `no connected peer for ${address}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

/** The specHash a job was created with (from its JobCreated event: not kept in storage, see JobTypes.sol). */
export async function specHashOf(ledger: LedgerClient, jobId: bigint): Promise<Hex> {
  const [created] = await ledger.publicClient.getContractEvents({
    address: ledger.market.address,
    abi: computeMarketAbi,
    eventName: 'JobCreated',
    args: { jobId },
    fromBlock: 0n,
  });
  if (!created?.args.specHash) throw new AicError('JOB_NOT_FOUND', `job ${jobId} has no JobCreated event`);
  return created.args.specHash;
}

/** The checkpoint root and result CID a job's provider committed last (ResultCommitted event). */
export async function committedResultOf(
  ledger: LedgerClient,
  jobId: bigint,
): Promise<{ checkpointRoot: Hex; resultCid: string; provider: Hex }> {
  const events = await ledger.publicClient.getContractEvents({
    address: ledger.market.address,
    abi: computeMarketAbi,
    eventName: 'ResultCommitted',
    args: { jobId },
    fromBlock: 0n,
  });
  const last = events.at(-1);
  if (!last?.args.checkpointRoot || last.args.resultCid === undefined || !last.args.provider) {
    throw new AicError('JOB_NOT_COMMITTED', `job ${jobId} has no committed result`);
  }
  return { checkpointRoot: last.args.checkpointRoot, resultCid: last.args.resultCid, provider: last.args.provider };
}

/** Reads a view that reverts until the next block is mined (seeds), retrying for up to `timeoutMs`. */
export async function whenSeedReady<T>(ctx: AgentContext, read: () => Promise<T>, timeoutMs = 30_000): Promise<T> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    try {
      return await read();
    } catch (error) {
      if (ctx.signal.aborted || Date.now() > until) throw error;
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  }
}

/** One line for logs: the error's code line plus its cause (network errors wrap the libp2p reason). */
export function errorLine(error: unknown): string {
  const line = isAicError(error) ? error.toLine() : error instanceof Error ? error.message : String(error);
  const cause = (error as { cause?: unknown }).cause;
  return cause instanceof Error ? `${line} (${cause.message})` : line;
}

/** Answers that mean "no", not "try again": a remote error with a code, a missing or refused checkpoint. */
const REFUSALS = new Set(['NETWORK_REMOTE_ERROR', 'CHECKPOINT_NOT_FOUND', 'CHECKPOINT_ACCESS_DENIED']);

/**
 * Retries a network request a few times with a short backoff: a peer busy training, or a stream reset by a restart,
 * must not leave a job without its verdict or its ticket. Remote errors with a code (refusals) are not retried.
 */
export async function withRetries<T>(ctx: AgentContext, what: () => Promise<T>, attempts = 5): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await what();
    } catch (error) {
      const refused = isAicError(error) && REFUSALS.has(error.code);
      if (refused || attempt >= attempts || ctx.signal.aborted) throw error;
      await new Promise((resolve) => setTimeout(resolve, 300 * attempt));
    }
  }
}
