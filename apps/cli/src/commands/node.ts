import type { NodeStatus } from '@aic/node/api';
import {
  DEFAULT_API_HOST,
  DEFAULT_API_PORT,
  DEFAULT_LISTEN,
  LOG_LEVELS,
  type LogLevel,
  type RunNodeOptions,
} from '@aic/node/options';
import { type Command, Option } from 'commander';
import { parseUint } from '../args.ts';
import { action, type CommandContext } from '../context.ts';
import type { CliIo } from '../io.ts';
import { printResult } from '../output.ts';
import { resolvePassword } from '../password.ts';

/** `aic node start | status`. */
export function registerNodeCommands(program: Command, io: CliIo): void {
  const node = program.command('node').description('run and inspect your AIC node');
  addNodeRunOptions(
    node.command('start').description('run the node in the foreground (JSON logs on stdout; Ctrl-C stops it cleanly)'),
  )
    .option('--role <name>', 'label shown in status (requester, gpu-provider, data-owner)')
    .option('--rpc-url <url>', 'chain JSON-RPC URL')
    .option('--deployment <file>', 'contract deployment file')
    .option('--republish-interval-ms <ms>', 'how often own offers are gossiped again', parseUint)
    .option('--coordinates-interval-ms <ms>', 'how often peer RTTs are sampled (Vivaldi)', parseUint)
    .action(action(io, startNode));
  node.command('status').description("show the node's identity, addresses and uptime").action(action(io, showStatus));
}

interface StartOptions extends NodeRunFlags {
  role?: string;
  rpcUrl?: string;
  deployment?: string;
  republishIntervalMs?: number;
  coordinatesIntervalMs?: number;
}

/** The flags every foreground node command shares (`aic node start`, `aic provider start`). */
export function addNodeRunOptions(command: Command): Command {
  const collect = (value: string, previous: string[] = []) => [...previous, value];
  return command
    .option('--account <address>', 'which keystore of <data-dir>/keystore (default: the only one)')
    .option('--keystore <file>', 'a keystore file elsewhere')
    .option('--password-file <file>', 'read the keystore password from this file (else $AIC_PASSWORD or a prompt)')
    .option('--listen <multiaddr>', `libp2p listen address, repeatable (default ${DEFAULT_LISTEN.join(', ')})`, collect)
    .option('--bootstrap <multiaddr>', 'peer to join through (…/p2p/<peerId>), repeatable', collect)
    .option('--api-host <host>', 'HTTP API host', DEFAULT_API_HOST)
    .option('--api-port <port>', 'HTTP API port (0 = any free port)', parseUint, DEFAULT_API_PORT)
    .addOption(new Option('--log-level <level>', 'log level').choices(LOG_LEVELS).default('info'))
    .addOption(
      new Option('--log-format <format>', 'JSON lines, or pretty text (default: pretty on a terminal)').choices([
        'json',
        'pretty',
      ]),
    );
}

/** What `addNodeRunOptions` parses. */
export interface NodeRunFlags {
  account?: string;
  keystore?: string;
  passwordFile?: string;
  listen?: string[];
  bootstrap?: string[];
  apiHost: string;
  apiPort: number;
  logLevel: LogLevel;
  logFormat?: 'json' | 'pretty';
}

/** Runs a node in the foreground until it stops: the shared flags plus what the command adds. */
export async function runNodeInForeground(
  ctx: CommandContext,
  flags: NodeRunFlags,
  extra: Partial<RunNodeOptions>,
): Promise<void> {
  const password = await resolvePassword(ctx.io, { passwordFile: flags.passwordFile, purpose: 'the node key' });
  // Loaded on demand: libp2p and fastify take a while to import, and only these commands need them.
  const { runNode } = await import('@aic/node');
  // No spinner here: the node's own log lines on stdout are the progress, and a spinner would garble them.
  const running = await runNode(
    {
      dataDir: ctx.global.dataDir,
      account: flags.account,
      keystore: flags.keystore,
      password,
      listen: flags.listen ?? DEFAULT_LISTEN,
      bootstrap: flags.bootstrap ?? [],
      apiHost: flags.apiHost,
      apiPort: flags.apiPort,
      logLevel: flags.logLevel,
      logFormat: ctx.global.json ? 'json' : (flags.logFormat ?? (ctx.io.stdout.isTTY === true ? 'pretty' : 'json')),
      ...extra,
    },
    { destination: ctx.io.stdout },
  );
  await running.stopped;
}

async function startNode(ctx: CommandContext, opts: StartOptions): Promise<void> {
  await runNodeInForeground(ctx, opts, {
    role: opts.role,
    rpcUrl: opts.rpcUrl,
    deploymentFile: opts.deployment,
    republishIntervalMs: opts.republishIntervalMs,
    coordinatesIntervalMs: opts.coordinatesIntervalMs,
  });
}

async function showStatus(ctx: CommandContext): Promise<void> {
  const status = await ctx.api().status();
  printResult(ctx.io, ctx.global.json, status, describeStatus);
}

function describeStatus(s: NodeStatus): string {
  return [
    `peer id     ${s.peerId}`,
    `address     ${s.address}`,
    ...(s.role === undefined ? [] : [`role        ${s.role}`]),
    `uptime      ${formatDuration(s.uptimeSeconds)}`,
    `peers       ${s.connectedPeers} connected`,
    `version     ${s.version}`,
    `listening   ${s.multiaddrs.join('\n            ') || '(none)'}`,
  ].join('\n');
}

function formatDuration(seconds: number): string {
  const s = Math.floor(seconds);
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  return h > 0 ? `${h}h ${m}m` : m > 0 ? `${m}m ${s % 60}s` : `${s}s`;
}
