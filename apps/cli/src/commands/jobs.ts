import { randomBytes } from 'node:crypto';
import { weiToAic } from '@aic/core';
import type { JobAnnouncement, JobAnnouncementInput } from '@aic/node/api';
import { type Command, Option } from 'commander';
import {
  gibToBytes,
  parseAicToWei,
  parseList,
  parseNonNegative,
  parseUint,
  readJsonArg,
  requireFlags,
} from '../args.ts';
import { action, type CommandContext } from '../context.ts';
import type { CliIo } from '../io.ts';
import { printResult, table } from '../output.ts';

/** `aic jobs announce | list`. */
export function registerJobCommands(program: Command, io: CliIo): void {
  const jobs = program.command('jobs').description('job announcements (requesters looking for providers)');
  jobs
    .command('announce')
    .description('announce a job to providers through your node')
    .option('--file <file>', 'the announcement body as JSON ("-" reads stdin); the flags below are ignored')
    .option('--job-id <bytes32>', 'the on-chain job id (default: random)')
    .option('--task <task>', 'e.g. image-classification')
    .option('--model <id>', 'model asset id or CID')
    .option('--datasets <ids>', 'dataset ids, comma-separated', parseList, [])
    .option('--max-price <aic>', 'highest price in AIC per hour', parseAicToWei)
    .option('--min-gpus <n>', 'GPUs needed', parseUint, 0)
    .option('--min-gpu-memory-gib <n>', 'memory per GPU needed, GiB', parseNonNegative, 0)
    .addOption(
      new Option('--backend <backend>', 'runtime backend')
        .choices(['cpu', 'wasm', 'webgpu', 'tensorflow'])
        .default('cpu'),
    )
    .option('--deadline-minutes <n>', 'start the job within this many minutes', parseUint, 60)
    .action(action(io, announceJob));
  jobs
    .command('list')
    .description('list unexpired job announcements (received and your own)')
    .action(action(io, listJobs));
}

interface AnnounceOptions {
  file?: string;
  jobId?: string;
  task?: string;
  model?: string;
  datasets: string[];
  maxPrice?: string;
  minGpus: number;
  minGpuMemoryGib: number;
  backend: 'cpu' | 'wasm' | 'webgpu' | 'tensorflow';
  deadlineMinutes: number;
}

async function announceJob(ctx: CommandContext, opts: AnnounceOptions): Promise<void> {
  if (opts.file === undefined) {
    const required = { '--task <task>': opts.task, '--model <id>': opts.model, '--max-price <aic>': opts.maxPrice };
    requireFlags(required, 'jobs announce', '--file');
  }
  const body =
    opts.file === undefined ? jobFromFlags(opts) : ((await readJsonArg(ctx.io, opts.file)) as JobAnnouncementInput);
  const job = await ctx.api().announceJob({ body });
  printResult(ctx.io, ctx.global.json, job, (j) => `announced job ${j.jobId}`);
}

async function listJobs(ctx: CommandContext): Promise<void> {
  const result = await ctx.api().listJobAnnouncements();
  printResult(ctx.io, ctx.global.json, result, ({ announcements }) =>
    announcements.length === 0
      ? 'no job announcements'
      : table(['JOB', 'TASK', 'REQUESTER', 'MAX AIC/HOUR'], announcements.map(jobRow)),
  );
}

/** Builds the body from flags; the typed client validates it against the API schema before sending. */
function jobFromFlags(opts: AnnounceOptions): JobAnnouncementInput {
  return {
    jobId: opts.jobId ?? `0x${randomBytes(32).toString('hex')}`,
    task: opts.task ?? '',
    modelId: opts.model ?? '',
    datasetIds: opts.datasets,
    requirements: { minGpus: opts.minGpus, minGpuMemoryBytes: gibToBytes(opts.minGpuMemoryGib), backend: opts.backend },
    maxPriceWeiPerHour: opts.maxPrice ?? '',
    deadlineMs: Date.now() + opts.deadlineMinutes * 60_000,
  };
}

function jobRow(j: JobAnnouncement): string[] {
  return [j.jobId, j.task, j.requester, weiToAic(BigInt(j.maxPriceWeiPerHour))];
}
