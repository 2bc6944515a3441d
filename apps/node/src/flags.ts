/**
 * The one flag table of a node process. `apps/node/src/main.ts` (parseArgs + usage text), `aic node start` and
 * `aic provider start` (commander options) are all generated from it, and every value goes through the same
 * `resolveNodeFlags`, so a flag, its default (from the chosen preset, `@aic/core/params`) and its validation exist
 * once. Adding a flag is one entry in its group (`flags-node.ts` for every node, `flags-roles.ts` for a role's) and,
 * if it feeds the node, one line in `runOptionsOf` (`flags-run-options.ts`).
 */

import { DEFAULT_PRESET, presetOf } from '@aic/core/params';
import type { FlagContext, FlagSpec, RawValue } from './flag-kinds.ts';
import { NODE_PROCESS_FLAGS } from './flags-node.ts';
import { PROVIDER_FLAGS, RATER_FLAGS, STORAGE_FLAGS, VERIFIER_COORDINATOR_FLAGS } from './flags-roles.ts';

export type { FlagContext, FlagGroup, FlagSpec } from './flag-kinds.ts';
export { defaultDataDir, LOG_LEVELS, type LogLevel } from './flags-node.ts';
export { FAULT_ENV, runOptionsOf } from './flags-run-options.ts';

/** Every flag of a node process, by name (without `--`). Order = order in usage (the groups' order, then theirs). */
export const NODE_FLAGS = {
  ...NODE_PROCESS_FLAGS,
  ...STORAGE_FLAGS,
  ...PROVIDER_FLAGS,
  ...RATER_FLAGS,
  ...VERIFIER_COORDINATOR_FLAGS,
} as const;

export type NodeFlagName = keyof typeof NODE_FLAGS;
/** The resolved value of every flag. */
export type NodeFlagValues = { [K in NodeFlagName]: ReturnType<(typeof NODE_FLAGS)[K]['resolve']> };
/** Raw flag values as parsers give them, by flag name. */
export type RawNodeFlags = Partial<Record<NodeFlagName, RawValue>>;

/** The flag names, in table order. */
export const NODE_FLAG_NAMES = Object.keys(NODE_FLAGS) as NodeFlagName[];

/**
 * Resolves raw flag values: the preset first (every other default comes from it), then each flag's value or default.
 * Throws CLI_INVALID_ARGUMENT naming the first bad flag.
 */
export function resolveNodeFlags(
  raw: RawNodeFlags,
  options: { env?: NodeJS.ProcessEnv; isTty?: boolean } = {},
): NodeFlagValues {
  const base = { env: options.env ?? process.env, isTty: options.isTty ?? false };
  const presetName = NODE_FLAGS.preset.resolve(raw.preset, 'preset', { ...base, preset: DEFAULT_PRESET });
  const ctx: FlagContext = { ...base, preset: presetOf(presetName) };
  const out: Record<string, unknown> = {};
  for (const name of NODE_FLAG_NAMES) {
    const spec = NODE_FLAGS[name] as FlagSpec<unknown>;
    out[name] = spec.resolve(raw[name], name, ctx);
  }
  return out as NodeFlagValues;
}

/** parseArgs' `options` for the table (plus `--help`). */
export function parseArgsOptions(): Record<string, { type: 'string' | 'boolean'; multiple?: boolean }> {
  const options: Record<string, { type: 'string' | 'boolean'; multiple?: boolean }> = { help: { type: 'boolean' } };
  for (const name of NODE_FLAG_NAMES) {
    const { kind } = NODE_FLAGS[name];
    options[name] = kind === 'strings' ? { type: 'string', multiple: true } : { type: kind };
  }
  return options;
}

/** One usage line per flag: `--name <value>  description (default …)`. */
export function flagUsageLines(names: readonly NodeFlagName[] = NODE_FLAG_NAMES, preset = DEFAULT_PRESET): string[] {
  const heads = names.map((name) => {
    const spec: FlagSpec<unknown> = NODE_FLAGS[name];
    return spec.value ? `--${name} ${spec.value}` : `--${name}`;
  });
  const width = Math.max(...heads.map((h) => h.length)) + 2;
  return names.map((name, i) => `  ${heads[i]?.padEnd(width)}${describeFlag(name, preset)}`);
}

/** A flag's description with its default from `preset`. */
export function describeFlag(name: NodeFlagName, preset = DEFAULT_PRESET): string {
  const spec: FlagSpec<unknown> = NODE_FLAGS[name];
  const presetDefault = spec.defaultText?.(preset);
  return presetDefault === undefined ? spec.description : `${spec.description} (default ${presetDefault})`;
}

/** Flags of a command: `node` = every flag; `provider` = all but the verifier's and coordinator's and `--provider`. */
export function flagsOfCommand(command: 'node' | 'provider'): NodeFlagName[] {
  if (command === 'node') return NODE_FLAG_NAMES;
  return NODE_FLAG_NAMES.filter((n) => n !== 'provider' && ['node', 'provider'].includes(NODE_FLAGS[n].group));
}
