/**
 * What every job role (requester, provider, verifier, coordinator) runs on: the node's libp2p network, a ledger
 * client signing with the node's key, one serial queue for that key's transactions, the market watcher, a logger;
 * and the helpers they share: which errors are worth a retry, the retry policy for network and chain calls, the
 * ticket fetch, and the job facts that live in events rather than storage.
 */
import { AicError, isAicError, pause, type RetryOptions, retry } from '@aic/core';
import type { LedgerClient } from '@aic/ledger';
import { computeMarketAbi } from '@aic/ledger';
import type { AicNetwork } from '@aic/network';
import type { Hex } from 'viem';
import type { MarketWatcher } from '../chain/market-watcher.ts';
import type { JobAssetPort } from '../jobs/asset-port.ts';
import { decodeJobTicket, type JobTicket } from '../jobs/job-ticket.ts';
import { jobTicketFetchProtocol } from '../jobs/protocols.ts';
import { ticketHostOf } from './ticket-host.ts';

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
  /** The node's data role: datasets and models named by asset id (absent: it runs no job). */
  assets?: JobAssetPort;
}

/** The PeerId of a connected peer whose key is `address`, waiting up to `timeoutMs` for it to connect. */
export async function peerOfAddress(
  ctx: AgentContext,
  address: string,
  signal?: AbortSignal,
  timeoutMs = 15_000,
): Promise<string> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const peer = ctx.net.getPeers().find((p) => p.address?.toLowerCase() === address.toLowerCase());
    if (peer) return peer.peerId;
    if (Date.now() > until || signal?.aborted) {
      throw new AicError('JOB_PEER_UNREACHABLE', `no connected peer for ${address}`);
    }
    await pause(200, signal);
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
    strict: true,
  });
  if (!created) throw new AicError('JOB_NOT_FOUND', `job ${jobId} has no JobCreated event`);
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
    strict: true,
  });
  const last = events.at(-1);
  if (!last) throw new AicError('JOB_NOT_COMMITTED', `job ${jobId} has no committed result`);
  return { checkpointRoot: last.args.checkpointRoot, resultCid: last.args.resultCid, provider: last.args.provider };
}

/** Reads a view that reverts until the next block is mined (seeds), retrying for up to `timeoutMs`. */
export function whenSeedReady<T>(read: () => Promise<T>, signal?: AbortSignal, timeoutMs = 30_000): Promise<T> {
  return retry(read, {
    attempts: Number.POSITIVE_INFINITY,
    deadlineMs: timeoutMs,
    baseMs: 200,
    factor: 1.5,
    maxMs: 2_000,
    ...(signal ? { signal } : {}),
  });
}

/** One line for logs: the error's code line plus its cause (network errors wrap the libp2p reason). */
export function errorLine(error: unknown): string {
  const line = isAicError(error) ? error.toLine() : error instanceof Error ? error.message : String(error);
  const cause = (error as { cause?: unknown }).cause;
  return cause instanceof Error ? `${line} (${cause.message.split('\n')[0]})` : line;
}

/** Answers that mean "no", not "try again": a remote error with a code, a refused or missing checkpoint, a ticket
 * that does not match, a revert, a mismatching result, a stop. */
const FINAL = new Set([
  'ABORTED',
  'NETWORK_REMOTE_ERROR',
  'NETWORK_PEER_BANNED',
  'CHECKPOINT_NOT_FOUND',
  'CHECKPOINT_ACCESS_DENIED',
  'JOB_TICKET_MISMATCH',
  'JOB_TICKET_INVALID',
  // a template ticket (aic-job-ticket/1): no role runs one any more, and its bytes are pinned by the specHash
  'JOB_TICKET_UNSUPPORTED',
  'JOB_ACCESS_DENIED',
  'JOB_RESULT_MISMATCH',
  'JOB_MIRROR_MISMATCH',
  'JOB_RESUME_MISMATCH',
  // a job on published assets the chain or the data contradict: another attempt reads the same
  'JOB_ASSET_KIND_MISMATCH',
  'JOB_ASSETS_UNAVAILABLE',
  'JOB_DATASET_MISMATCH',
  'JOB_MODEL_ROOT_MISMATCH',
  'JOB_SCHEMA_MISMATCH',
  'JOB_TICKET_ASSET_MISMATCH',
  'LEDGER_REVERTED',
]);

/**
 * Whether an error is worth another attempt: dropped streams (`Unexpected EOF`), timeouts (`took too long`), an
 * unreachable peer or RPC endpoint (`fetch failed`) are; refusals and reverts are not.
 */
export function isTransient(error: unknown): boolean {
  if (isAicError(error, 'NETWORK_REMOTE_ERROR')) return isTransientRemoteCode(error.details.code);
  if (isAicError(error)) return !FINAL.has(error.code);
  for (let e: unknown = error, depth = 0; e instanceof Error && depth < 8; e = e.cause, depth++) {
    if (e.name === 'ContractFunctionRevertedError') return false;
  }
  return true;
}

/**
 * A peer's answer that it failed itself, not that it refuses: its handler's own chain read failed (an error that is
 * no AicError answers `INTERNAL`; a wrapped one `LEDGER_CALL_FAILED`), or a network call it made timed out or was
 * cut. The requester's ticket and progress handlers read the chain to authorize every caller, so at 10 % failed RPC
 * requests about one fetch in ten answers so (issue 18's soak); any other code is the peer's considered answer.
 */
function isTransientRemoteCode(code: unknown): boolean {
  if (typeof code !== 'string' || FINAL.has(code)) return false;
  if (code === 'INTERNAL' || code === 'LEDGER_CALL_FAILED') return true;
  return /^NETWORK_REQUEST_(FAILED|TIMEOUT)$|_(FETCH_FAILED|UNAVAILABLE|TIMEOUT)$/.test(code);
}

/** Counts the retries a role made (per job), for the job's status. */
export type RetryCounter = (jobId: bigint, what: string, error: unknown) => void;

/**
 * The roles' retry policy for network and chain calls: transient errors only, exponential backoff with jitter from
 * `baseMs`, up to `attempts` or `deadlineMs`, logged and counted; a stop aborts the waits.
 */
export function retryTransient<T>(
  ctx: AgentContext,
  what: string,
  task: () => Promise<T>,
  o: { jobId?: bigint; signal?: AbortSignal; onRetry?: RetryCounter } & Pick<
    RetryOptions,
    'attempts' | 'deadlineMs' | 'baseMs' | 'maxMs'
  > = {},
): Promise<T> {
  return retry(task, {
    attempts: o.attempts ?? 6,
    baseMs: o.baseMs ?? 500,
    maxMs: o.maxMs ?? 8_000,
    ...(o.deadlineMs === undefined ? {} : { deadlineMs: o.deadlineMs }),
    ...(o.signal ? { signal: o.signal } : {}),
    retryable: isTransient,
    onRetry: ({ error, attempt, delayMs }) => {
      const jobId = o.jobId === undefined ? {} : { jobId: String(o.jobId) };
      ctx.log.warn({ ...jobId, attempt, delayMs, err: errorLine(error) }, `${what} failed; retrying`);
      if (o.jobId !== undefined) o.onRetry?.(o.jobId, what, error);
    },
  });
}

export interface FetchedTicket {
  ticket: JobTicket;
  /** c_0 … c_i as the requester has them. */
  commitments: { step: number; hash: Hex }[];
  mirrored: number[];
  /** The requester's PeerId (to fetch its mirrored checkpoints). */
  requester: string;
}

/**
 * The job's ticket (checked against the escrowed specHash), the commitments and mirror the requester holds: what the
 * provider, the verifier and the arbiter start from. Waits for the requester to be connected and retries transient
 * failures (a requester busy or restarting) for up to `deadlineMs`.
 */
export async function fetchJobTicket(
  ctx: AgentContext,
  job: { jobId: bigint; requester: string },
  o: { signal?: AbortSignal; deadlineMs?: number; onRetry?: RetryCounter } = {},
): Promise<FetchedTicket> {
  const specHash = await retryTransient(ctx, 'specHash read', () => specHashOf(ctx.ledger, job.jobId), {
    ...o,
    jobId: job.jobId,
  });
  return await retryTransient(
    ctx,
    'ticket fetch',
    async () => {
      const requester = await ticketHostOf(ctx, job, o.signal);
      const fetched = await ctx.net.request(
        requester,
        jobTicketFetchProtocol,
        { jobId: String(job.jobId) },
        o.signal ? { signal: o.signal } : {},
      );
      return {
        ticket: decodeJobTicket(fetched.ticket, specHash),
        commitments: fetched.commitments,
        mirrored: fetched.mirrored,
        requester,
      };
    },
    { attempts: Number.POSITIVE_INFINITY, deadlineMs: o.deadlineMs ?? 120_000, jobId: job.jobId, ...o },
  );
}
