import { copyFile, stat } from 'node:fs/promises';
import { createInterface } from 'node:readline/promises';
import { AicError, isAicError } from '@aic/core';
import type { ApiClient } from '@aic/node/api';
import type { CommandContext } from '../context.ts';
import type { CliIo } from '../io.ts';
import { type FollowOptions, type SubmitOptions, submitBodyOf } from './job.ts';
import { changeKey, createFollowTracker, isTrackedHere, outcomeOf } from './job-follow.ts';
import {
  aic,
  describeQuote,
  describeStatus,
  eventLine,
  isJobDone,
  type JobQuote,
  type JobStatus,
  logLine,
  statusLine,
} from './job-view.ts';

// The actions of `aic job …` (see job.ts). With --json every output is one compact JSON object on its own line,
// so --follow streams parse.

/** How often --follow asks the node (the chain mines every ~0.5 s on a devnet). */
export const FOLLOW_POLL_MS = 400;

/** Prints one output: a compact JSON line with --json, else the text. */
function emit<T>(ctx: CommandContext, value: T, human: (value: T) => string): void {
  ctx.io.stdout.write(ctx.global.json ? `${JSON.stringify(value)}\n` : `${human(value)}\n`);
}

export async function submitJob(ctx: CommandContext, opts: SubmitOptions): Promise<void> {
  const body = submitBodyOf(opts);
  const api = ctx.api();
  const quote = await api.quoteJob({ body });
  emit(
    ctx,
    { quote },
    () => `quote for a job on dataset #${opts.dataset}, model #${opts.model}\n${describeQuote(quote)}`,
  );
  if (opts.yes !== true) await confirmPayment(ctx.io, quote);
  const submitted = await api.submitJob({ body });
  emit(
    ctx,
    { jobId: submitted.jobId, escrowWei: submitted.escrowWei },
    (s) => `job #${s.jobId} submitted: ${aic(s.escrowWei)} escrowed`,
  );
  if (opts.follow === true) await followStatus(ctx, api, submitted.jobId, opts.timeout);
}

/** Asks before paying; refuses without a terminal, where nobody could answer. */
export async function confirmPayment(io: CliIo, quote: JobQuote): Promise<void> {
  const total = aic(quote.totalWei);
  if (io.stdin.isTTY !== true) {
    throw new AicError(
      'CLI_CONFIRMATION_REQUIRED',
      `submitting pays ${total}: pass --yes to confirm without a terminal`,
    );
  }
  const prompt = createInterface({ input: io.stdin, output: io.stderr });
  try {
    const answer = await prompt.question(`Pay ${total} and submit the job? [y/N] `);
    if (!/^y(es)?$/i.test(answer.trim())) throw new AicError('CLI_CANCELLED', 'not submitted: nothing was paid');
  } finally {
    prompt.close();
  }
}

export async function showStatus(ctx: CommandContext, opts: FollowOptions, jobId: string): Promise<void> {
  const api = ctx.api();
  if (opts.follow === true) return followStatus(ctx, api, jobId, opts.timeout);
  emit(ctx, await api.jobStatus({ query: { jobId } }), describeStatus);
}

/**
 * Polls the status and prints a line on every change, plus events (verifier redrawn, provider replaced, retries,
 * stalls) as they happen, until the job settles or fails (JOB_FAILED / JOB_RESULT_FAILED with the reason) or the
 * timeout passes (JOB_FOLLOW_TIMEOUT with the last state).
 */
async function followStatus(ctx: CommandContext, api: ApiClient, jobId: string, timeoutSec: number): Promise<void> {
  const startedMs = Date.now();
  const deadline = startedMs + timeoutSec * 1_000;
  const tracker = createFollowTracker();
  let lastKey = '';
  let state = 'unknown';
  let unreachableSinceMs: number | undefined;
  for (;;) {
    // A node that restarts (or is briefly too busy to answer) does not end the follow: say so, and keep asking.
    const status = await api.jobStatus({ query: { jobId } }).catch((error: unknown) => {
      if (!isAicError(error, 'API_UNREACHABLE')) throw error;
      return undefined;
    });
    const nowMs = Date.now();
    if (status === undefined) {
      if (unreachableSinceMs === undefined) {
        unreachableSinceMs = nowMs;
        const message = `the node at ${ctx.global.api} does not answer; still trying until --timeout`;
        emit(ctx, { event: 'unreachable', jobId, atMs: nowMs, message }, eventLine);
      }
      if (nowMs + FOLLOW_POLL_MS > deadline) throw followTimeout(jobId, timeoutSec, startedMs, state, tracker, true);
      await new Promise((resolve) => setTimeout(resolve, FOLLOW_POLL_MS));
      continue;
    }
    if (unreachableSinceMs !== undefined) {
      const message = `the node answers again (after ${Math.round((nowMs - unreachableSinceMs) / 1000)} s)`;
      emit(ctx, { event: 'reachable', jobId, atMs: nowMs, message }, eventLine);
      unreachableSinceMs = undefined;
    }
    state = status.state;
    for (const e of tracker.observe(status, nowMs)) emit(ctx, e, eventLine);
    const key = changeKey(status);
    if (key !== lastKey) {
      lastKey = key;
      emit(ctx, status, (s) => statusLine(s, nowMs));
    }
    if (isJobDone(status)) return finishFollow(ctx, status);
    if (Date.now() + FOLLOW_POLL_MS > deadline)
      throw followTimeout(jobId, timeoutSec, startedMs, state, tracker, false);
    await new Promise((resolve) => setTimeout(resolve, FOLLOW_POLL_MS));
  }
}

function followTimeout(
  jobId: string,
  timeoutSec: number,
  startedMs: number,
  state: string,
  tracker: ReturnType<typeof createFollowTracker>,
  unreachable: boolean,
): AicError {
  const seconds = Math.round((Date.now() - startedMs) / 1000);
  const node = unreachable ? '; the node did not answer the last requests' : '';
  return new AicError(
    'JOB_FOLLOW_TIMEOUT',
    `timed out after ${seconds} s (--timeout ${timeoutSec}) following job #${jobId}: last state ${tracker.lastState(Date.now())}${node}`,
    { details: { jobId, state, timeoutSec, unreachable } },
  );
}

function finishFollow(ctx: CommandContext, status: JobStatus): void {
  const outcome = outcomeOf(status);
  if (outcome?.kind === 'failed') {
    throw new AicError(outcome.code, outcome.message, { details: { state: status.state, reason: outcome.reason } });
  }
  if (ctx.global.json) return;
  ctx.io.stdout.write(`${describeStatus(status)}\n${outcome?.message ?? ''}\n`);
}

async function waitBeforeNextPoll(deadline: number, jobId: string, state: string): Promise<void> {
  if (Date.now() + FOLLOW_POLL_MS > deadline) {
    throw new AicError('JOB_FOLLOW_TIMEOUT', `timed out following the logs of job #${jobId}: it is still ${state}`, {
      details: { jobId, state },
    });
  }
  await new Promise((resolve) => setTimeout(resolve, FOLLOW_POLL_MS));
}

export async function showLogs(ctx: CommandContext, opts: FollowOptions, jobId: string): Promise<void> {
  const api = ctx.api();
  const deadline = Date.now() + opts.timeout * 1_000;
  let printed = 0;
  for (;;) {
    // Status first: lines that arrive between the two reads are still printed before the last stop.
    const status = opts.follow === true ? await api.jobStatus({ query: { jobId } }) : undefined;
    const { lines } = await api.jobLogs({ query: { jobId } });
    for (const line of lines.slice(printed)) emit(ctx, line, logLine);
    printed = Math.max(printed, lines.length);
    if (status === undefined || isJobDone(status)) return;
    await waitBeforeNextPoll(deadline, jobId, status.state);
  }
}

export async function showResult(ctx: CommandContext, opts: { out?: string }, jobId: string): Promise<void> {
  const status = await ctx.api().jobStatus({ query: { jobId } });
  const { trainedAssetId, resultCid, resultPath } = status;
  if (trainedAssetId === undefined || resultPath === undefined) throw noResult(status, ctx.global.api);
  const copied = opts.out === undefined ? undefined : await copyResult(resultPath, opts.out);
  const result = { jobId, trainedAssetId, resultCid, resultPath, ...(copied ?? {}) };
  emit(ctx, result, (r) =>
    [
      `trained AI    #${r.trainedAssetId}`,
      `result CID    ${r.resultCid ?? '(none)'}`,
      `result path   ${r.resultPath}`,
      ...(copied === undefined ? [] : [`copied to     ${copied.out} (${copied.bytes} bytes)`]),
    ].join('\n'),
  );
}

/** Why there is no result to show: not settled yet, settled on chain but kept by another node, or still coming. */
export function noResult(status: JobStatus, apiUrl: string): AicError {
  const details = { jobId: status.jobId, state: status.state };
  if (status.resultError !== undefined) {
    return new AicError(
      'JOB_RESULT_FAILED',
      `job #${status.jobId} settled but its result failed: ${status.resultError}`,
      {
        details,
      },
    );
  }
  if (status.state !== 'Settled') {
    return new AicError('JOB_NOT_SETTLED', `job #${status.jobId} is ${status.state}: not settled yet, no result`, {
      details,
    });
  }
  if (!isTrackedHere(status)) {
    return new AicError(
      'JOB_RESULT_ELSEWHERE',
      `job #${status.jobId} is Settled, but its result lives on the requester's node, not on ${apiUrl}: run ` +
        `"aic --api <the requester's node API> job result ${status.jobId}" there`,
      { details: { ...details, api: apiUrl } },
    );
  }
  return new AicError(
    'JOB_NOT_SETTLED',
    `job #${status.jobId} is Settled; this node is still fetching and minting its result: try again shortly`,
    { details },
  );
}

async function copyResult(from: string, out: string): Promise<{ out: string; bytes: number }> {
  try {
    await copyFile(from, out);
    return { out, bytes: (await stat(out)).size };
  } catch (cause) {
    throw new AicError('JOB_RESULT_UNAVAILABLE', `cannot copy ${from} to ${out} (the node must run on this machine)`, {
      cause,
      details: { from, out },
    });
  }
}
