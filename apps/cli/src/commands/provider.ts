import type { HardwareDescriptor } from '@aic/gpu-vessel';
import type { RouteResponse } from '@aic/node/api';
import type { RunNodeOptions } from '@aic/node/options';
import { flagsOfCommand, type NodeFlagValues, runOptionsOf } from '@aic/node/options';
import type { Command } from 'commander';
import { action, type CommandContext } from '../context.ts';
import type { CliIo } from '../io.ts';
import { printResult } from '../output.ts';
import { addNodeFlags, nodeFlagsOf, runNodeInForeground } from './node.ts';

// `aic provider start`: the GPU Vessel. A node (the node flags, from the node's one flag table) that also stakes,
// offers its hardware and runs the jobs the coordinator assigns it in a capped worker; it needs the chain for that.

/** `aic provider start`. */
export function registerProviderCommand(program: Command, io: CliIo): void {
  const provider = program.command('provider').description('sell compute: run your node as a GPU Vessel');
  addNodeFlags(
    provider
      .command('start')
      .description('run a provider node in the foreground: stake, offer, train assigned jobs (Ctrl-C stops it)'),
    flagsOfCommand('provider'),
    ['rpc-url', 'deployment'],
  ).action(action(io, startProvider));
  provider
    .command('status')
    .description("the GPU Vessel's multi-task switching: mode, time and earnings per mode (AI jobs, mining), the miner")
    .action(action(io, showProviderStatus));
}

async function showProviderStatus(ctx: CommandContext): Promise<void> {
  const status = await ctx.api().providerSwitching();
  printResult(ctx.io, ctx.global.json, status, describeSwitching);
}

/** The switching report as text: one line per mode with its time and earnings, then the miner. */
export function describeSwitching(body: RouteResponse<'providerSwitching'>): string {
  const s = body.switching;
  if (!body.enabled || s === undefined) {
    return 'multi-task switching off (start the provider with --mining-command <program> to mine while no job runs)';
  }
  const time = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
  const miner = s.miner;
  return [
    `mode        ${s.mode} since ${s.since}`,
    `ai          ${time(s.timeMs.ai)}, ${s.jobsStarted} runs, ${s.earnings.ai.jobsSettled} jobs settled, ${s.earnings.ai.earnedAic} AIC earned`,
    `mining      ${time(s.timeMs.mining)}, ${s.earnings.mining.hashes} hashes`,
    `owner       ${time(s.timeMs.owner)} (yields at ${s.ownerThresholdPercent} % GPU use; last ${s.ownerUtilizationPercent ?? 'not sampled'})`,
    `idle        ${time(s.timeMs.idle)}`,
    `miner       ${miner.state}${miner.pid === undefined ? '' : ` (pid ${miner.pid})`}, ${s.suspend} suspension, ${miner.suspensions} suspensions, ${miner.crashes} crashes` +
      (miner.lastSuspendMs === undefined ? '' : `, last suspend ${miner.lastSuspendMs.toFixed(1)} ms`),
  ].join('\n');
}

type ProviderRole = NonNullable<NonNullable<RunNodeOptions['jobs']>['provider']>;

/** The resolved flags of `aic provider start`: the node's, with `--provider` implied and role `gpu-provider`. */
export function providerFlagsOf(ctx: CommandContext, opts: Record<string, unknown>): NodeFlagValues {
  return nodeFlagsOf(ctx, opts, { provider: true, role: 'gpu-provider' });
}

/** The provider role the node runs with, from the resolved flags. */
export function providerRoleOf(flags: NodeFlagValues): ProviderRole {
  const { fakeSegmentFraction: _, ...role } = runOptionsOf({ ...flags, provider: true }, '', {}).jobs?.provider ?? {};
  return role as ProviderRole;
}

/** What the command tells the operator before the node's own logs start. */
export function describeProviderStart(o: NodeFlagValues): string {
  return (
    `GPU Vessel: starting a provider node on chain ${o['rpc-url']} — claims hardware class ${o['hw-class']} (the ` +
    `coordinator's challenge proves it), stake ${o['stake-aic']} AIC, price ${o['price-aic-per-hour']} AIC/hour, ` +
    `worker ≤ ${o['worker-memory-mib']} MiB and ≤ ${o['worker-timeout-ms']} ms per run (${o.preset} preset)`
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

async function startProvider(ctx: CommandContext, opts: Record<string, unknown>): Promise<void> {
  // Resolved first: a bad flag is a usage error before any hardware probe or password prompt.
  const flags = providerFlagsOf(ctx, opts);
  // Loaded on demand: the GPU Vessel and the node (libp2p, fastify) take a while to import.
  const { detectHardware } = await import('@aic/gpu-vessel');
  const hardware = await detectHardware();
  // With --json, stdout is JSON lines only (these, then the node's logs); else the summary goes to stderr, so the
  // node's log lines stay alone on stdout.
  if (ctx.global.json) {
    ctx.io.stdout.write(`${JSON.stringify({ provider: providerRoleOf(flags), rpcUrl: flags['rpc-url'], hardware })}\n`);
  } else {
    ctx.io.stderr.write(`${describeProviderStart(flags)}\n${describeHardware(hardware)}\n`);
  }
  await runNodeInForeground(ctx, flags);
}
