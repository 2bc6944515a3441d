import { randomUUID } from 'node:crypto';
import { AicError } from '@aic/core';
import type { RouteRequest } from '@aic/node/api';
import { type Command, InvalidArgumentError, Option } from 'commander';
import { parseUint } from '../args.ts';
import { action } from '../context.ts';
import type { CliIo } from '../io.ts';

export { changeKey, FAILED_JOB_STATES } from './job-follow.ts';
export { confirmPayment, FOLLOW_POLL_MS, noResult } from './job-run.ts';
export {
  describeQuote,
  describeStatus,
  eventLine,
  isJobDone,
  type JobLogLine,
  type JobQuote,
  type JobStatus,
  logLine,
  statusLine,
} from './job-view.ts';

// `aic job submit | status | logs | result`: a training job through your node (the requester), from quote to the
// TrainedAI NFT. The actions live in job-run.ts.

type JobSubmitBody = RouteRequest<'submitJob'>['body'];
const run = () => import('./job-run.ts');

/** Default of --timeout: how long --follow waits for the job to end. */
export const DEFAULT_FOLLOW_TIMEOUT_SEC = 1_800;

const timeoutOption = () =>
  new Option('--timeout <seconds>', 'with --follow: give up after this many seconds (exit code 1)')
    .argParser(parseIntIn(1, 30 * 86_400))
    .default(DEFAULT_FOLLOW_TIMEOUT_SEC);

/** `aic job …`. */
export function registerJobCommand(program: Command, io: CliIo): void {
  const job = program.command('job').description('train a model: quote, pay, follow and fetch a verified job');
  job
    .command('submit')
    .description(
      "quote a training job on a Dataset NFT and a Model NFT (the model's own manifest), then (after confirmation) escrow it on chain through your node",
    )
    .requiredOption('--dataset <id>', 'Dataset NFT id of the training data', parseAssetId)
    .requiredOption('--model <id>', 'Model (or TrainedAI) NFT id of the base model', parseAssetId)
    .requiredOption(
      '--budget <aic>',
      'fixed price for the provider(s) in AIC (protocol and asset fees on top)',
      parseAic,
    )
    .option('--epochs <n>', 'training epochs (default: the model manifest’s)', parseIntIn(1, 1_000))
    .option('--batch-size <n>', 'batch size (default: the model manifest’s)', parseIntIn(1, 4_096))
    .option('--learning-rate <x>', 'learning rate (default: the model manifest’s)', parseLearningRate)
    .option(
      '--hyperparameter <name=value>',
      "another hyperparameter of the model manifest's schema (repeatable)",
      parseHyperparameter,
      {} as Record<string, number | string | boolean>,
    )
    .option('--seed <n>', 'training seed (same seed, same weights)', parseIntIn(0, 0xffff_ffff))
    .option('--commit-every <n>', 'steps per committed segment', parseIntIn(1, 100_000))
    .option(
      '--workers <n>',
      'MSMG: shard the job for n workers on n providers, placed as one group (gradients summed in a fixed order, same commitments on 1 to n workers)',
      parseIntIn(1, 64),
    )
    .option(
      '--group-size <n>',
      'MSMG: the same as --workers n (n providers train the job as one group)',
      parseIntIn(1, 64),
    )
    .option('--microbatches <m>', 'microbatches per step of a sharded job (default: --workers)', parseIntIn(1, 1_024))
    .addOption(
      new Option(
        '--backend <backend>',
        'runtime backend: cpu and wasm are verified exactly, webgpu (a provider with a WebGPU adapter) within a bound',
      ).choices(['cpu', 'wasm', 'webgpu']),
    )
    .option('--verifier-fee <aic>', 'fee for the verifier in AIC (default 1)', parseAic)
    .option('--confidence <p>', 'chance the verifier catches a provider faking 10 % of segments', parseConfidence)
    .option('--min-hw-class <n>', 'lowest hardware class of the provider (0 = CPU … 4)', parseIntIn(0, 4))
    .option(
      '--gpu-model <list>',
      'any of these GPU models, e.g. H100,A100-80G (a family name takes every size)',
      parseModels,
    )
    .option('--gpus <n>', 'whole GPUs, all on one machine', parseIntIn(1, 64))
    .option('--gpu-fraction <x>', 'a share of one GPU instead, in (0, 1), e.g. 0.25', parseFraction)
    .option('--gpu-mem <GiB>', 'memory of each GPU, at least', parseAmount(4_096))
    .option('--cpus <n>', 'CPU cores the job uses up on its machine', parseAmount(4_096))
    .option('--mem <GiB>', 'memory the job uses up on its machine', parseAmount(1_048_576))
    .option('--deadline-minutes <n>', 'the job must be done within this many minutes', parseIntIn(1, 30 * 1_440))
    .option(
      '--idempotency-key <key>',
      'submit at most once under this key: a retry returns the first job (default: a fresh key per run)',
      parseIdempotencyKey,
    )
    .option('--yes', 'pay without asking (needed when stdin is not a terminal)')
    .option('--follow', 'then follow the job like `aic job status --follow`')
    .addOption(timeoutOption())
    .action(action(io, async (ctx, o: SubmitOptions) => (await run()).submitJob(ctx, o)));
  job
    .command('status')
    .description("a job's state, provider, verifier and progress; once settled its TrainedAI NFT and result")
    .argument('<jobId>', 'the job id', parseJobId)
    .option('--follow', 'print a line on every change (redraws, retries, stalls too) until the job settles or fails')
    .addOption(timeoutOption())
    .action(action(io, async (ctx, o: FollowOptions, id: string) => (await run()).showStatus(ctx, o, id)));
  job
    .command('logs')
    .description("a job's progress lines as the provider streamed them")
    .argument('<jobId>', 'the job id', parseJobId)
    .option('--follow', 'print new lines as they arrive until the job ends')
    .addOption(timeoutOption())
    .action(action(io, async (ctx, o: FollowOptions, id: string) => (await run()).showLogs(ctx, o, id)));
  job
    .command('result')
    .description("a settled job's TrainedAI NFT and result file")
    .argument('<jobId>', 'the job id', parseJobId)
    .option('--out <file>', 'copy the result file here (the node runs on this machine)')
    .action(action(io, async (ctx, o: { out?: string }, id: string) => (await run()).showResult(ctx, o, id)));
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

/** Commander parser for a repeatable `name=value` (numbers and true/false as such, anything else as text). */
function parseHyperparameter(
  value: string,
  previous: Record<string, number | string | boolean>,
): Record<string, number | string | boolean> {
  const match = /^([A-Za-z][A-Za-z0-9_]{0,63})=(.{1,200})$/.exec(value);
  if (!match) throw new InvalidArgumentError('expected name=value, e.g. dropout=0.2');
  const [, name, text] = match as unknown as [string, string, string];
  const parsed =
    text === 'true' ? true : text === 'false' ? false : Number.isFinite(Number(text)) ? Number(text) : text;
  return { ...previous, [name]: parsed };
}

function parseModels(value: string): string[] {
  const models = value
    .split(',')
    .map((m) => m.trim())
    .filter((m) => m.length > 0);
  if (models.length === 0 || models.length > 16 || models.some((m) => m.length > 64 || !/^[\w .+-]+$/.test(m)))
    throw new InvalidArgumentError('expected 1-16 comma-separated GPU model names, e.g. H100,A100-80G');
  return models;
}

function parseFraction(value: string): number {
  const x = Number(value);
  if (!Number.isFinite(x) || x <= 0 || x >= 1) throw new InvalidArgumentError('expected a share in (0, 1), e.g. 0.25');
  return x;
}

function parseAmount(max: number): (value: string) => number {
  return (value) => {
    const x = Number(value);
    if (!Number.isFinite(x) || x < 0 || x > max) throw new InvalidArgumentError(`expected a number in [0, ${max}]`);
    return x;
  };
}

/** The API's `hardware` from the flags (undefined when none is given: any machine of the hardware class). */
export function hardwareOf(o: SubmitOptions): JobSubmitBody['hardware'] {
  if (o.gpus !== undefined && o.gpuFraction !== undefined)
    throw new AicError('CLI_INVALID_ARGUMENT', 'job submit takes --gpus or --gpu-fraction, not both');
  const gpus = o.gpuFraction ?? o.gpus ?? (o.gpuModel || o.gpuMem !== undefined ? 1 : undefined);
  const hardware = {
    ...(gpus === undefined ? {} : { gpus }),
    ...(o.gpuModel ? { gpuModels: o.gpuModel } : {}),
    ...(o.gpuMem === undefined ? {} : { minGpuMemoryGiB: o.gpuMem }),
    ...(o.cpus === undefined ? {} : { cpuCores: o.cpus }),
    ...(o.mem === undefined ? {} : { memoryGiB: o.mem }),
  };
  return Object.keys(hardware).length === 0 ? undefined : hardware;
}

function parseIdempotencyKey(value: string): string {
  if (!/^[\x21-\x7e]{1,128}$/.test(value)) throw new InvalidArgumentError('expected 1-128 printable characters');
  return value;
}

function parseConfidence(value: string): number {
  const p = Number(value);
  if (!Number.isFinite(p) || p < 0.5 || p > 0.999999)
    throw new InvalidArgumentError('expected a probability in [0.5, 0.999999]');
  return p;
}

export interface SubmitOptions {
  hyperparameter?: Record<string, number | string | boolean>;
  idempotencyKey?: string;
  dataset: string;
  model: string;
  budget: string;
  epochs?: number;
  batchSize?: number;
  learningRate?: number;
  seed?: number;
  commitEvery?: number;
  workers?: number;
  groupSize?: number;
  microbatches?: number;
  backend?: 'cpu' | 'wasm' | 'webgpu';
  verifierFee?: string;
  confidence?: number;
  minHwClass?: number;
  gpuModel?: string[];
  gpus?: number;
  gpuFraction?: number;
  gpuMem?: number;
  cpus?: number;
  mem?: number;
  deadlineMinutes?: number;
  yes?: boolean;
  follow?: boolean;
  /** --timeout, seconds. */
  timeout: number;
}

/** The API body from the flags; unset flags are left out so the node's defaults apply. */
export function submitBodyOf(o: SubmitOptions): JobSubmitBody {
  const optional = {
    epochs: o.epochs,
    batchSize: o.batchSize,
    learningRate: o.learningRate,
    seed: o.seed,
    commitEverySteps: o.commitEvery,
    workers: o.workers ?? o.groupSize,
    microbatches: o.microbatches,
    backend: o.backend,
    verifierFeeAic: o.verifierFee,
    confidence: o.confidence,
    minHwClass: o.minHwClass,
    deadlineSec: o.deadlineMinutes === undefined ? undefined : o.deadlineMinutes * 60,
  };
  const defined = Object.fromEntries(Object.entries(optional).filter(([, v]) => v !== undefined));
  const hyperparameters = o.hyperparameter && Object.keys(o.hyperparameter).length > 0 ? o.hyperparameter : undefined;
  const hardware = hardwareOf(o);
  return {
    datasetId: o.dataset,
    modelId: o.model,
    budgetAic: o.budget,
    ...(hyperparameters ? { hyperparameters } : {}),
    ...(hardware ? { hardware } : {}),
    // One key per run: the quote and the submit may be retried by the client, the escrow happens once.
    idempotencyKey: o.idempotencyKey ?? randomUUID(),
    ...defined,
  };
}

export interface FollowOptions {
  follow?: boolean;
  /** --timeout, seconds. */
  timeout: number;
}
