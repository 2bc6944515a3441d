import type { NodeStatus } from '@aic/node/api';
import type { RunNodeOptions } from '@aic/node/options';
import {
  describeFlag,
  flagsOfCommand,
  NODE_FLAGS,
  type NodeFlagName,
  type NodeFlagValues,
  type RawNodeFlags,
  resolveNodeFlags,
  runOptionsOf,
} from '@aic/node/options';
import { type Command, Option } from 'commander';
import { action, type CommandContext } from '../context.ts';
import type { CliIo } from '../io.ts';
import { printResult } from '../output.ts';
import { resolvePassword } from '../password.ts';

/** `aic node start | status`. */
export function registerNodeCommands(program: Command, io: CliIo): void {
  const node = program.command('node').description('run and inspect your AIC node');
  addNodeFlags(
    node.command('start').description('run the node in the foreground (JSON logs on stdout; Ctrl-C stops it cleanly)'),
    flagsOfCommand('node'),
  ).action(action(io, startNode));
  node.command('status').description("show the node's identity, addresses and uptime").action(action(io, showStatus));
}

/** Flags the `aic` program itself takes (global options), which node commands read from there. */
export const GLOBAL_NODE_FLAGS: readonly NodeFlagName[] = ['data-dir'];

/**
 * Adds the node flags `names` (from the node's one flag table, apps/node/src/flags.ts) to a command as commander
 * options. Values stay raw here: `nodeFlagsOf` resolves them exactly as the node entry does (defaults from the
 * preset, CLI_INVALID_ARGUMENT naming the flag).
 */
export function addNodeFlags(command: Command, names: readonly NodeFlagName[], required: NodeFlagName[] = []): Command {
  const collect = (value: string, previous: string[] = []) => [...previous, value];
  for (const name of names) {
    if (GLOBAL_NODE_FLAGS.includes(name)) continue;
    const spec = NODE_FLAGS[name];
    const option = new Option(spec.kind === 'boolean' ? `--${name}` : `--${name} ${spec.value}`, describeFlag(name));
    if (spec.kind === 'strings') option.argParser(collect);
    if (required.includes(name)) option.makeOptionMandatory();
    command.addOption(option);
  }
  return command;
}

const camelOf = (name: string) => name.replace(/-([a-z])/g, (_, c: string) => c.toUpperCase());

/** The resolved node flags of a command's parsed options (commander's camelCase keys) and the global --data-dir. */
export function nodeFlagsOf(
  ctx: CommandContext,
  opts: Record<string, unknown>,
  implied: RawNodeFlags = {},
): NodeFlagValues {
  const raw: RawNodeFlags = { 'data-dir': ctx.global.dataDir, ...implied };
  for (const name of Object.keys(NODE_FLAGS) as NodeFlagName[]) {
    const value = opts[camelOf(name)];
    if (value !== undefined) raw[name] = value as RawNodeFlags[NodeFlagName];
  }
  // --json means JSON lines on stdout, the node's logs included.
  if (ctx.global.json) raw['log-format'] = 'json';
  return resolveNodeFlags(raw, { env: ctx.io.env, isTty: ctx.io.stdout.isTTY === true });
}

/** Runs a node in the foreground until it stops, with the resolved flags (and what the command adds). */
export async function runNodeInForeground(
  ctx: CommandContext,
  flags: NodeFlagValues,
  extra: Partial<RunNodeOptions> = {},
): Promise<void> {
  const password = await resolvePassword(ctx.io, { passwordFile: flags['password-file'], purpose: 'the node key' });
  // Loaded on demand: libp2p and fastify take a while to import, and only these commands need them.
  const { runNode } = await import('@aic/node');
  // No spinner here: the node's own log lines on stdout are the progress, and a spinner would garble them.
  const running = await runNode(
    { ...runOptionsOf(flags, password, ctx.io.env), ...extra },
    { destination: ctx.io.stdout },
  );
  await running.stopped;
}

async function startNode(ctx: CommandContext, opts: Record<string, unknown>): Promise<void> {
  await runNodeInForeground(ctx, nodeFlagsOf(ctx, opts));
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
