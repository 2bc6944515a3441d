import { cpus, totalmem } from 'node:os';
import { weiToAic } from '@aic/core';
import type { Offer, OfferInput } from '@aic/node/api';
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

/** `aic offers list | publish`. */
export function registerOfferCommands(program: Command, io: CliIo): void {
  const offers = program.command('offers').description('provider offers (GPU capacity, price) on the network');
  offers
    .command('list')
    .description('list unexpired offers (received from peers and/or your own)')
    .addOption(new Option('--source <source>', 'which offers').choices(['all', 'received', 'own']).default('all'))
    .action(action(io, listOffers));
  offers
    .command('publish')
    .description('publish a provider offer through your node')
    .option('--file <file>', 'the offer body as JSON ("-" reads stdin); the flags below are ignored')
    .option('--price <aic>', 'price in AIC per hour of the offered capacity', parseAicToWei)
    .option('--gpus <n>', 'GPUs offered', parseUint, 0)
    .option('--gpu-model <name>', 'GPU model', 'none')
    .option('--gpu-memory-gib <n>', 'memory per GPU, GiB', parseNonNegative, 0)
    .option('--cpu-cores <n>', 'CPU cores', parseUint, cpus().length)
    .option('--memory-gib <n>', 'RAM, GiB', parseNonNegative, Math.floor(totalmem() / 2 ** 30))
    .option('--backends <list>', 'TensorFlow.js backends (cpu,wasm,webgpu,tensorflow)', parseList, ['cpu'])
    .option('--concurrent-jobs <n>', 'jobs run at once', parseUint, 1)
    .option('--datasets <ids>', 'cached dataset ids, comma-separated', parseList, [])
    .option('--ttl <seconds>', 'how long the offer stands', parseUint, 3600)
    .option('--offer-id <id>', 'reuse an id to replace an earlier offer')
    .action(action(io, publishOffer));
}

interface PublishOptions {
  file?: string;
  price?: string;
  gpus: number;
  gpuModel: string;
  gpuMemoryGib: number;
  cpuCores: number;
  memoryGib: number;
  backends: string[];
  concurrentJobs: number;
  datasets: string[];
  ttl: number;
  offerId?: string;
}

async function listOffers(ctx: CommandContext, opts: { source: 'all' | 'received' | 'own' }): Promise<void> {
  const result = await ctx.api().listOffers({ query: { source: opts.source } });
  printResult(ctx.io, ctx.global.json, result, ({ offers }) =>
    offers.length === 0
      ? 'no offers'
      : table(['OFFER', 'PROVIDER', 'GPUS', 'AIC/HOUR', 'EXPIRES'], offers.map(offerRow)),
  );
}

async function publishOffer(ctx: CommandContext, opts: PublishOptions): Promise<void> {
  if (opts.file === undefined) requireFlags({ '--price <aic>': opts.price }, 'offers publish', '--file');
  const body = opts.file === undefined ? offerFromFlags(opts) : ((await readJsonArg(ctx.io, opts.file)) as OfferInput);
  const offer = await ctx.api().publishOffer({ body });
  printResult(
    ctx.io,
    ctx.global.json,
    offer,
    (o) => `published offer ${o.offerId} (expires ${new Date(o.expiresAtMs).toISOString()})`,
  );
}

/** Builds the body from flags; the typed client validates it against the API schema before sending. */
function offerFromFlags(opts: PublishOptions): OfferInput {
  return {
    ...(opts.offerId === undefined ? {} : { offerId: opts.offerId }),
    capacity: { gpus: opts.gpus, concurrentJobs: opts.concurrentJobs },
    hardware: {
      gpus: Array.from({ length: opts.gpus }, () => ({
        model: opts.gpuModel,
        memoryBytes: gibToBytes(opts.gpuMemoryGib),
      })),
      cpuCores: opts.cpuCores,
      memoryBytes: gibToBytes(opts.memoryGib),
      backends: opts.backends as OfferInput['hardware']['backends'],
    },
    priceWeiPerHour: opts.price ?? '',
    cachedDatasetIds: opts.datasets,
    ttlSeconds: opts.ttl,
  };
}

function offerRow(o: Offer): string[] {
  const gpus = o.hardware.gpus.length === 0 ? '-' : `${o.capacity.gpus}× ${o.hardware.gpus[0]?.model ?? '?'}`;
  return [o.offerId, o.provider, gpus, weiToAic(BigInt(o.priceWeiPerHour)), new Date(o.expiresAtMs).toISOString()];
}
