import type { HardwareDescriptor } from '@aic/gpu-vessel';
import type { RunNodeOptions } from '@aic/node/options';
import { type Command, InvalidArgumentError } from 'commander';
import { parseUint } from '../args.ts';
import { action, type CommandContext } from '../context.ts';
import type { CliIo } from '../io.ts';
import { parseAic, parseIntIn } from './job.ts';
import { addNodeRunOptions, type NodeRunFlags, runNodeInForeground } from './node.ts';

// `aic provider start`: the GPU Vessel. A node (same flags as `aic node start`) that also stakes, offers its
// hardware and runs the jobs the coordinator assigns it in a capped worker; it needs the chain for all of that.

/** `aic provider start`. */
export function registerProviderCommand(program: Command, io: CliIo): void {
  const provider = program.command('provider').description('sell compute: run your node as a GPU Vessel');
  addNodeRunOptions(
    provider
      .command('start')
      .description('run a provider node in the foreground: stake, offer, train assigned jobs (Ctrl-C stops it)')
      .requiredOption('--rpc-url <url>', 'chain JSON-RPC URL (a provider stakes and is paid on chain)')
      .requiredOption('--deployment <file>', 'contract deployment file')
      .option(
        '--hw-class <n>',
        'hardware class claimed on chain, 0 = CPU … 4 (proven by challenge)',
        parseIntIn(0, 4),
        0,
      )
      .option('--stake-aic <n>', 'stake when registering, AIC', parseAic, '500')
      .option('--price-aic-per-hour <n>', 'offer price, AIC per hour', parseAic, '40')
      .option('--worker-memory-mib <n>', 'heap cap of the training worker, MiB', parseAtLeast(100), 2048)
      .option('--worker-timeout-ms <n>', 'wall-clock cap of one training run, ms', parseAtLeast(100), 3_600_000),
  ).action(action(io, startProvider));
}

export interface ProviderStartOptions extends NodeRunFlags {
  rpcUrl: string;
  deployment: string;
  hwClass: number;
  stakeAic: string;
  priceAicPerHour: string;
  workerMemoryMib: number;
  workerTimeoutMs: number;
}

function parseAtLeast(min: number): (value: string) => number {
  return (value) => {
    const n = parseUint(value);
    if (n < min) throw new InvalidArgumentError(`expected an integer ≥ ${min}`);
    return n;
  };
}

/** The provider role the node runs with, from the flags. */
export function providerRoleOf(o: ProviderStartOptions): NonNullable<NonNullable<RunNodeOptions['jobs']>['provider']> {
  return {
    hwClass: o.hwClass,
    stakeAic: o.stakeAic,
    priceAicPerHour: o.priceAicPerHour,
    memoryMiB: o.workerMemoryMib,
    timeoutMs: o.workerTimeoutMs,
  };
}

/** What the command tells the operator before the node's own logs start. */
export function describeProviderStart(o: ProviderStartOptions): string {
  return (
    `GPU Vessel: starting a provider node on chain ${o.rpcUrl} — claims hardware class ${o.hwClass} (the ` +
    `coordinator's challenge proves it), stake ${o.stakeAic} AIC, price ${o.priceAicPerHour} AIC/hour, worker ` +
    `≤ ${o.workerMemoryMib} MiB and ≤ ${o.workerTimeoutMs} ms per run`
  );
}

const GIB = 2 ** 30;

/** The detected hardware in one line, e.g. "1 × NVIDIA H100 80GB HBM3 (79.6 GiB); CPU … (16 cores), 125.8 GiB RAM". */
export function describeHardware(h: HardwareDescriptor): string {
  const gib = (bytes: number) => `${(bytes / GIB).toFixed(1)} GiB`;
  const gpus = h.accelerators.filter((a) => a.kind !== 'cpu');
  const devices =
    gpus.length === 0 ? 'no GPU found' : gpus.map((a) => `${a.count} × ${a.model} (${gib(a.memoryBytes)})`).join(', ');
  return `hardware detected: ${devices}; CPU ${h.cpu.model} (${h.cpu.cores} cores), ${gib(h.memoryBytes)} RAM; backends ${h.backends.join(', ')}`;
}

async function startProvider(ctx: CommandContext, opts: ProviderStartOptions): Promise<void> {
  // Loaded on demand: the GPU Vessel and the node (libp2p, fastify) take a while to import.
  const { detectHardware } = await import('@aic/gpu-vessel');
  const hardware = await detectHardware();
  // With --json, stdout is JSON lines only (these, then the node's logs); else the summary goes to stderr, so the
  // node's log lines stay alone on stdout.
  if (ctx.global.json) {
    ctx.io.stdout.write(`${JSON.stringify({ provider: providerRoleOf(opts), rpcUrl: opts.rpcUrl, hardware })}\n`);
  } else {
    ctx.io.stderr.write(`${describeProviderStart(opts)}\n${describeHardware(hardware)}\n`);
  }
  await runNodeInForeground(ctx, opts, {
    role: 'gpu-provider',
    rpcUrl: opts.rpcUrl,
    deploymentFile: opts.deployment,
    jobs: { provider: providerRoleOf(opts) },
  });
}
