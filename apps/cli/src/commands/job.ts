import { copyFile, stat } from 'node:fs/promises';
import { createInterface } from 'node:readline/promises';
import { AicError, weiToAic } from '@aic/core';
import type { ApiClient, RouteRequest, RouteResponse } from '@aic/node/api';
import { type Command, InvalidArgumentError, Option } from 'commander';
import { parseUint } from '../args.ts';
import { action, type CommandContext } from '../context.ts';
import type { CliIo } from '../io.ts';

// `aic job submit | status | logs | result`: a training job through your node (the requester), from quote to the
// TrainedAI NFT. With --json every output is one compact JSON object on its own line, so --follow streams parse.

export type JobQuote = RouteResponse<'quoteJob'>;
export type JobStatus = RouteResponse<'jobStatus'>;
export type JobLogLine = RouteResponse<'jobLogs'>['lines'][number];
type JobSubmitBody = RouteRequest<'submitJob'>['body'];

/** States after which a job changes no more (Settled counts once its TrainedAI NFT is minted). */
export const FAILED_JOB_STATES: readonly string[] = ['Slashed', 'Refunded', 'Expired'];
/** How often --follow asks the node (the chain mines every ~0.5 s on a devnet). */
export const FOLLOW_POLL_MS = 400;

/** `aic job …`. */
export function registerJobCommand(program: Command, io: CliIo): void {
  const job = program.command('job').description('train a model: quote, pay, follow and fetch a verified job');
  job
    .command('submit')
    .description('quote a training job, then (after confirmation) escrow it on chain through your node')
    .addOption(
      new Option('--template <name>', 'model template').choices(['mnist', 'iris', 'intent']).makeOptionMandatory(),
    )
    .requiredOption('--dataset <id>', 'Dataset NFT id of the training data', parseAssetId)
    .requiredOption('--model <id>', 'Model NFT id of the base model', parseAssetId)
    .requiredOption(
      '--budget <aic>',
      'fixed price for the provider(s) in AIC (protocol and asset fees on top)',
      parseAic,
    )
    .option('--epochs <n>', 'training epochs (default: the template’s)', parseIntIn(1, 1_000))
    .option('--batch-size <n>', 'batch size (default: the template’s)', parseIntIn(1, 4_096))
    .option('--learning-rate <x>', 'learning rate (default: the template’s)', parseLearningRate)
    .option('--seed <n>', 'training seed (same seed, same weights)', parseIntIn(0, 0xffff_ffff))
    .option('--commit-every <n>', 'steps per committed segment', parseIntIn(1, 100_000))
    .addOption(new Option('--backend <backend>', 'runtime backend').choices(['cpu', 'wasm']))
    .option('--verifier-fee <aic>', 'fee for the verifier in AIC (default 1)', parseAic)
    .option('--confidence <p>', 'chance the verifier catches a provider faking 10 % of segments', parseConfidence)
    .option('--min-hw-class <n>', 'lowest hardware class of the provider (0 = CPU … 4)', parseIntIn(0, 4))
    .option('--deadline-minutes <n>', 'the job must be done within this many minutes', parseIntIn(1, 30 * 1_440))
    .option('--yes', 'pay without asking (needed when stdin is not a terminal)')
    .option('--follow', 'then follow the job like `aic job status --follow`')
    .option('--timeout-minutes <n>', 'with --follow: give up after this many minutes', parseIntIn(1, 10_080), 60)
    .action(action(io, submitJob));
  job
    .command('status')
    .description("a job's state, provider, verifier and progress; once settled its TrainedAI NFT and result")
    .argument('<jobId>', 'the job id', parseJobId)
    .option('--follow', 'print a line on every change until the job is settled or failed')
    .option('--timeout-minutes <n>', 'with --follow: give up after this many minutes', parseIntIn(1, 10_080), 60)
    .action(action(io, showStatus));
  job
    .command('logs')
    .description("a job's progress lines as the provider streamed them")
    .argument('<jobId>', 'the job id', parseJobId)
    .option('--follow', 'print new lines as they arrive until the job ends')
    .option('--timeout-minutes <n>', 'with --follow: give up after this many minutes', parseIntIn(1, 10_080), 60)
    .action(action(io, showLogs));
  job
    .command('result')
    .description("a settled job's TrainedAI NFT and result file")
    .argument('<jobId>', 'the job id', parseJobId)
    .option('--out <file>', 'copy the result file here (the node runs on this machine)')
    .action(action(io, showResult));
}

// ── arguments ──────────────────────────────────────────────────────────────────────────────────────────────────────

/** Commander parser for an NFT or job id: a positive integer, as the API takes it. */
export function parseAssetId(value: string): string {
  if (!/^[1-9][0-9]{0,18}$/.test(value)) throw new InvalidArgumentError('expected a positive integer id');
  return value;
}

/** Commander parser for a job id (a leading `#`, as the CLI prints ids, is accepted). */
export function parseJobId(value: string): string {
  return parseAssetId(value.replace(/^#/, ''));
}

/** Commander parser for an AIC amount as the API takes it ("40", "2.5"); kept as text so no precision is lost. */
export function parseAic(value: string): string {
  if (!/^[0-9]{1,12}(\.[0-9]{1,18})?$/.test(value) || /^0+(\.0+)?$/.test(value)) {
    throw new InvalidArgumentError('expected a positive AIC amount, e.g. 40 or 2.5');
  }
  return value;
}

/** Commander parser factory for an integer in [min, max]. */
export function parseIntIn(min: number, max: number): (value: string) => number {
  return (value) => {
    const n = parseUint(value);
    if (n < min || n > max) throw new InvalidArgumentError(`expected an integer in [${min}, ${max}]`);
    return n;
  };
}

function parseLearningRate(value: string): number {
  const x = Number(value);
  if (!Number.isFinite(x) || x <= 0 || x > 10) throw new InvalidArgumentError('expected a number in (0, 10]');
  return x;
}

function parseConfidence(value: string): number {
  const p = Number(value);
  if (!Number.isFinite(p) || p < 0.5 || p > 0.999999)
    throw new InvalidArgumentError('expected a probability in [0.5, 0.999999]');
  return p;
}

export interface SubmitOptions {
  template: 'mnist' | 'iris' | 'intent';
  dataset: string;
  model: string;
  budget: string;
  epochs?: number;
  batchSize?: number;
  learningRate?: number;
  seed?: number;
  commitEvery?: number;
  backend?: 'cpu' | 'wasm';
  verifierFee?: string;
  confidence?: number;
  minHwClass?: number;
  deadlineMinutes?: number;
  yes?: boolean;
  follow?: boolean;
  timeoutMinutes: number;
}

/** The API body from the flags; unset flags are left out so the node's defaults apply. */
export function submitBodyOf(o: SubmitOptions): JobSubmitBody {
  const optional = {
    epochs: o.epochs,
    batchSize: o.batchSize,
    learningRate: o.learningRate,
    seed: o.seed,
    commitEverySteps: o.commitEvery,
    backend: o.backend,
    verifierFeeAic: o.verifierFee,
    confidence: o.confidence,
    minHwClass: o.minHwClass,
    deadlineSec: o.deadlineMinutes === undefined ? undefined : o.deadlineMinutes * 60,
  };
  const defined = Object.fromEntries(Object.entries(optional).filter(([, v]) => v !== undefined));
  return { template: o.template, datasetId: o.dataset, modelId: o.model, budgetAic: o.budget, ...defined };
}

// ── rendering (pure) ───────────────────────────────────────────────────────────────────────────────────────────────

const aic = (wei: string) => `${weiToAic(BigInt(wei))} AIC`;
const NO_ADDRESS = /^0x0{40}$/;
const who = (address: string) => (NO_ADDRESS.test(address) ? '(none yet)' : address);

/** The quote, line by line, as shown before paying. */
export function describeQuote(q: JobQuote): string {
  return [
    `total          ${aic(q.totalWei)}`,
    `  provider     ${aic(q.providerWei)}`,
    `  protocol fee ${aic(q.protocolFeeWei)}`,
    `  dataset fee  ${aic(q.datasetFeeWei)}`,
    `  model fee    ${aic(q.modelFeeWei)}`,
    `  verifier fee ${aic(q.verifierFeeWei)}`,
    `segments       ${q.segments} (${q.totalSteps} steps)`,
    `verification   ${q.samples} segments re-run; P(detect) ${q.pDetect.toFixed(4)} against 10 % faked segments`,
    `overhead       ${(q.overhead * 100).toFixed(1)} % extra compute for verification`,
  ].join('\n');
}

/** The full status block of `aic job status`. */
export function describeStatus(s: JobStatus): string {
  const lines = [
    `job           #${s.jobId}`,
    `state         ${s.state}`,
    `provider      ${who(s.provider)}`,
    `verifier      ${who(s.verifier)}`,
    `progress      ${progressOf(s)}`,
    `commitments   ${s.commitments} (checkpoints ${s.checkpointCount}, resumes from ${s.resumeFrom})`,
  ];
  if (s.trainedAssetId !== undefined) lines.push(`trained AI    #${s.trainedAssetId}`);
  if (s.resultCid !== undefined) lines.push(`result CID    ${s.resultCid}`);
  if (s.resultPath !== undefined) lines.push(`result path   ${s.resultPath}`);
  if (s.resultError !== undefined) lines.push(`result error  ${s.resultError}`);
  return lines.join('\n');
}

/** One line per change while following a job. */
export function statusLine(s: JobStatus, atMs: number): string {
  const parts = [clock(atMs), `#${s.jobId}`, s.state, progressOf(s)];
  if (!NO_ADDRESS.test(s.provider)) parts.push(`provider ${s.provider}`);
  if (!NO_ADDRESS.test(s.verifier)) parts.push(`verifier ${s.verifier}`);
  if (s.commitments > 0) parts.push(`commitments ${s.commitments}`);
  if (s.resumeFrom > 0) parts.push(`resumes from ${s.resumeFrom}`);
  if (s.trainedAssetId !== undefined) parts.push(`TrainedAI #${s.trainedAssetId}`);
  return parts.join('  ');
}

/** One progress line of `aic job logs`. */
export function logLine(l: JobLogLine): string {
  const parts = [clock(l.atMs), `step ${l.step}/${l.totalSteps}`];
  if (l.loss !== undefined) parts.push(`loss ${l.loss.toFixed(4)}`);
  if (l.accuracy !== undefined) parts.push(`accuracy ${l.accuracy.toFixed(3)}`);
  parts.push(`provider ${l.provider}`);
  if (l.checkpoint !== undefined) parts.push(`checkpoint ${l.checkpoint}`);
  return parts.join('  ');
}

function progressOf(s: JobStatus): string {
  if (s.step === undefined || s.totalSteps === undefined) return 'no progress yet';
  const percent = s.totalSteps > 0 ? ` (${((100 * s.step) / s.totalSteps).toFixed(1)} %)` : '';
  const loss = s.loss === undefined ? '' : `  loss ${s.loss.toFixed(4)}`;
  const accuracy = s.accuracy === undefined ? '' : `  accuracy ${s.accuracy.toFixed(3)}`;
  return `step ${s.step}/${s.totalSteps}${percent}${loss}${accuracy}`;
}

/** UTC time of day with milliseconds, e.g. 14:03:07.412. */
function clock(atMs: number): string {
  return new Date(atMs).toISOString().slice(11, 23);
}

/** What makes a followed status worth a new line (not the poll itself). */
export function changeKey(s: JobStatus): string {
  return JSON.stringify([s.state, s.provider, s.verifier, s.step, s.commitments, s.resumeFrom, s.trainedAssetId]);
}

/** True once nothing more will happen: settled with its TrainedAI NFT (or its result failed), or slashed, refunded,
 * expired. */
export function isJobDone(s: JobStatus): boolean {
  return s.trainedAssetId !== undefined || s.resultError !== undefined || FAILED_JOB_STATES.includes(s.state);
}

// ── actions ────────────────────────────────────────────────────────────────────────────────────────────────────────

/** Prints one output: a compact JSON line with --json, else the text. */
function emit<T>(ctx: CommandContext, value: T, human: (value: T) => string): void {
  ctx.io.stdout.write(ctx.global.json ? `${JSON.stringify(value)}\n` : `${human(value)}\n`);
}

async function submitJob(ctx: CommandContext, opts: SubmitOptions): Promise<void> {
  const body = submitBodyOf(opts);
  const api = ctx.api();
  const quote = await api.quoteJob({ body });
  emit(
    ctx,
    { quote },
    () => `quote for a ${opts.template} job on dataset #${opts.dataset}, model #${opts.model}\n${describeQuote(quote)}`,
  );
  if (opts.yes !== true) await confirmPayment(ctx.io, quote);
  const submitted = await api.submitJob({ body });
  emit(
    ctx,
    { jobId: submitted.jobId, escrowWei: submitted.escrowWei },
    (s) => `job #${s.jobId} submitted: ${aic(s.escrowWei)} escrowed`,
  );
  if (opts.follow === true) await followStatus(ctx, api, submitted.jobId, opts.timeoutMinutes);
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

interface FollowOptions {
  follow?: boolean;
  timeoutMinutes: number;
}

async function showStatus(ctx: CommandContext, opts: FollowOptions, jobId: string): Promise<void> {
  const api = ctx.api();
  if (opts.follow === true) return followStatus(ctx, api, jobId, opts.timeoutMinutes);
  emit(ctx, await api.jobStatus({ query: { jobId } }), describeStatus);
}

/** Polls the status and prints a line on every change until the job is done or the timeout passes. */
async function followStatus(ctx: CommandContext, api: ApiClient, jobId: string, timeoutMinutes: number): Promise<void> {
  const deadline = Date.now() + timeoutMinutes * 60_000;
  let lastKey = '';
  for (;;) {
    const status = await api.jobStatus({ query: { jobId } });
    const key = changeKey(status);
    if (key !== lastKey) {
      lastKey = key;
      emit(ctx, status, (s) => statusLine(s, Date.now()));
    }
    if (isJobDone(status)) return finishFollow(ctx, status);
    await waitBeforeNextPoll(deadline, jobId, status.state);
  }
}

function finishFollow(ctx: CommandContext, status: JobStatus): void {
  if (FAILED_JOB_STATES.includes(status.state)) {
    throw new AicError('JOB_FAILED', `job #${status.jobId} ended ${status.state}`, {
      details: { state: status.state },
    });
  }
  if (status.resultError !== undefined) {
    throw new AicError(
      'JOB_RESULT_FAILED',
      `job #${status.jobId} settled but its result failed: ${status.resultError}`,
      {
        details: { state: status.state },
      },
    );
  }
  if (!ctx.global.json) ctx.io.stdout.write(`${describeStatus(status)}\n`);
}

async function waitBeforeNextPoll(deadline: number, jobId: string, state: string): Promise<void> {
  if (Date.now() + FOLLOW_POLL_MS > deadline) {
    throw new AicError('JOB_FOLLOW_TIMEOUT', `job #${jobId} is still ${state}: stopped following (--timeout-minutes)`, {
      details: { jobId, state },
    });
  }
  await new Promise((resolve) => setTimeout(resolve, FOLLOW_POLL_MS));
}

async function showLogs(ctx: CommandContext, opts: FollowOptions, jobId: string): Promise<void> {
  const api = ctx.api();
  const deadline = Date.now() + opts.timeoutMinutes * 60_000;
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

async function showResult(ctx: CommandContext, opts: { out?: string }, jobId: string): Promise<void> {
  const status = await ctx.api().jobStatus({ query: { jobId } });
  const { trainedAssetId, resultCid, resultPath } = status;
  if (trainedAssetId === undefined || resultPath === undefined) {
    throw new AicError('JOB_NOT_SETTLED', `job #${jobId} is ${status.state}: no result yet`, {
      details: { jobId, state: status.state },
    });
  }
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
