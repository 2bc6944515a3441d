/**
 * The one flag table of a node process. `apps/node/src/main.ts` (parseArgs + usage text), `aic node start` and
 * `aic provider start` (commander options) are all generated from it, and every value goes through the same
 * `resolveNodeFlags`, so a flag, its default (from the chosen preset, `@aic/core/params`) and its validation exist
 * once. Adding a flag is one entry here (and, if it feeds the node, one line in `runOptionsOf` below).
 */

import { homedir } from 'node:os';
import { join } from 'node:path';
import { AicError, aicToWei } from '@aic/core';
import { type AicPreset, DEFAULT_PRESET, PRESET_NAMES, presetOf } from '@aic/core/params';
import {
  aic,
  bool,
  choice,
  type FlagContext,
  type FlagSpec,
  int,
  ms,
  type RawValue,
  strings,
  text,
} from './flag-kinds.ts';
import type { RunNodeOptions } from './options.ts';

export type { FlagContext, FlagGroup, FlagSpec } from './flag-kinds.ts';

/** Log levels, most to least severe (policy in logger.ts and the README). */
export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

/** Default data directory: $AIC_DATA_DIR, else ~/.aic. */
export function defaultDataDir(env: NodeJS.ProcessEnv = process.env): string {
  return env.AIC_DATA_DIR ?? join(homedir(), '.aic');
}

/** Every flag of a node process, by name (without `--`). Order = order in usage. */
export const NODE_FLAGS = {
  preset: choice(
    'node',
    '<name>',
    'parameter preset the other defaults come from',
    PRESET_NAMES,
    () => DEFAULT_PRESET.name,
    () => DEFAULT_PRESET.name,
  ),
  'data-dir': text(
    'node',
    '<dir>',
    'state and keystores',
    (ctx) => defaultDataDir(ctx.env),
    () => '$AIC_DATA_DIR or ~/.aic',
  ),
  account: text('node', '<address>', 'which keystore of <data-dir>/keystore (default: the only one)'),
  keystore: text('node', '<file>', 'a keystore file elsewhere'),
  'password-file': text('node', '<file>', 'keystore password (else $AIC_PASSWORD, or a prompt for aic)'),
  listen: strings('node', '<multiaddr>', 'libp2p listen address', (p) => p.node.listen),
  bootstrap: strings('node', '<multiaddr>', 'peer to join through (…/p2p/<peerId>)', () => []),
  'api-host': text(
    'node',
    '<host>',
    'HTTP API host',
    (ctx) => ctx.preset.node.apiHost,
    (p) => p.node.apiHost,
  ),
  'api-port': int('node', '<port>', 'HTTP API port, 0 = any free', { min: 0, max: 65_535 }, (p) => p.node.apiPort),
  role: text('node', '<name>', 'label shown in status (requester, gpu-provider, data-owner)'),
  'rpc-url': text('node', '<url>', 'chain JSON-RPC URL (needed by every job role)'),
  deployment: text('node', '<file>', 'contract deployment file (needed by every job role)'),
  'pov-validator': bool(
    'node',
    'validate the PoV chain (propose on a won ticket, attest, finalize) and serve its JSON-RPC; needs --pov-genesis',
  ),
  'pov-genesis': text('node', '<file>', "pov-validator: the PoV chain's genesis file"),
  'pov-rpc-port': int(
    'node',
    '<port>',
    'pov-validator: JSON-RPC port on 127.0.0.1, 0 = any free',
    { min: 0, max: 65_535 },
    () => 8546,
  ),
  'log-level': choice(
    'node',
    '<level>',
    'log level',
    LOG_LEVELS,
    () => 'info',
    () => 'info',
  ),
  'log-format': choice(
    'node',
    '<format>',
    'log lines',
    ['json', 'pretty'] as const,
    (ctx) => (ctx.isTty ? 'pretty' : 'json'),
    () => 'pretty on a terminal, else json',
  ),
  'republish-interval-ms': ms('node', 'how often own offers are gossiped again', (p) => p.node.republishIntervalMs),
  'coordinates-interval-ms': ms(
    'node',
    'how often peer RTTs are sampled for Vivaldi coordinates',
    (p) => p.node.coordinatesIntervalMs,
  ),
  'target-peers': int(
    'node',
    '<n>',
    'connections the node keeps (peers from peer exchange and gossip, lost ones re-dialled); 0 = no keeping',
    { min: 0, max: 1_000 },
    (p) => p.node.targetPeers,
  ),
  'api-allow-host': strings(
    'node',
    '<host>',
    'a Host the API answers besides 127.0.0.1, localhost, [::1] and --api-host (e.g. a LAN name)',
    () => [],
  ),
  'api-allow-origin': strings(
    'node',
    '<origin>',
    "an Origin (scheme://host:port) allowed besides the API's own",
    () => [],
  ),
  'budget-per-job-aic': aic(
    'node',
    'most the API may escrow for one job, AIC, 0 = no cap',
    (p) => p.node.budgetPerJobAic,
  ),
  'budget-per-day-aic': aic(
    'node',
    'most the API may escrow per UTC day, AIC, 0 = no cap',
    (p) => p.node.budgetPerDayAic,
  ),
  storage: bool('node', 'run the Storage Vessel: take StorageMarket deals, keep dataset replicas, answer challenges'),
  'storage-capacity-mib': int(
    'node',
    '<mib>',
    'storage: replica bytes this node keeps in all, MiB',
    { min: 1, max: 1_073_741_824 },
    (p) => p.storage.capacityMiB,
  ),
  'storage-price-aic-per-mib-epoch': aic(
    'node',
    'storage: price, AIC per MiB per storage epoch',
    (p) => p.storage.priceAicPerMiBEpoch,
  ),
  'storage-max-collateral-aic': aic(
    'node',
    'storage: most collateral posted for one deal, AIC',
    (p) => p.storage.maxCollateralAic,
  ),
  provider: bool('provider', 'run the GPU Vessel agent: stake, offer, run assigned jobs in a capped worker'),
  'hw-class': int(
    'provider',
    '<0-4>',
    'hardware class claimed on chain, 0 = CPU (proven by challenge)',
    { min: 0, max: 4 },
    (p) => p.provider.hwClass,
  ),
  'stake-aic': aic('provider', 'stake when registering, AIC', (p) => p.provider.stakeAic),
  'price-aic-per-hour': aic('provider', 'offer price, AIC per hour', (p) => p.provider.priceAicPerHour),
  'mining-command': text(
    'provider',
    '<program>',
    "multi-task switching: the owner's mining program, run while no AI job trains and the owner's GPU use is low",
  ),
  'mining-arg': strings(
    'provider',
    '<arg>',
    'an argument of the mining program (--mining-arg=-x for one with a dash)',
    () => [],
  ),
  'mining-suspend': choice(
    'provider',
    '<method>',
    'how the miner yields: SIGSTOP/SIGCONT on its process group, or a clean stop and restart',
    ['signal', 'stop'] as const,
    (ctx) => ctx.preset.mining.suspend,
    (p) => p.mining.suspend,
  ),
  'mining-owner-threshold': int(
    'provider',
    '<percent>',
    "the owner's own GPU utilization at or above which mining yields to the owner",
    { min: 1, max: 100 },
    (p) => p.mining.ownerThresholdPercent,
  ),
  'mining-min-dwell-ms': ms(
    'provider',
    'least time between suspending the miner for the owner and resuming it (and back); jobs never wait',
    (p) => p.mining.minDwellMs,
    true,
  ),
  'worker-memory-mib': int(
    'provider',
    '<mib>',
    'heap cap of the training worker',
    { min: 100, max: 1_048_576 },
    (p) => p.worker.memoryMiB,
  ),
  'worker-timeout-ms': ms('provider', 'wall-clock cap of one training run', (p) => p.worker.timeoutMs),
  rater: bool(
    'node',
    "rate Proof of Value: stake, propose each ended epoch's scores, challenge wrong ones, apply the winning set",
  ),
  'rater-stake-aic': aic('node', 'rater: stake kept in the RewardsPool, AIC', (p) => p.rater.stakeAic),
  verifier: bool('verifier', 'verify committed jobs this node is drawn for (stakes the verifier minimum at start)'),
  coordinator: bool(
    'coordinator',
    "propose placements from each job's seeded shortlist and issue canaries (no key needed); preempt and arbitrate",
  ),
  'liveness-grace-ms': ms(
    'coordinator',
    'coordinator, and a requester for its own jobs: preempt a provider unreachable this long',
    (p) => p.coordinator.livenessGraceMs,
  ),
  'canary-interval-ms': ms(
    'coordinator',
    'coordinator: issue a canary job (known wrong answer) this often, 0 = never',
    (p) => p.coordinator.canaryIntervalMs,
    true,
  ),
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

/** Fault injection for tests (never set in production): a cheating provider, a lazy verifier, a verifier that
 * ignores its first draw of every job (as if offline), a rater that proposes wrong scores, a coordinator that proposes
 * providers off each job's seeded shortlist (and never the right one). */
export const FAULT_ENV = {
  fakeSegments: 'AIC_FAULT_FAKE_SEGMENTS',
  lazyVerifier: 'AIC_FAULT_LAZY_VERIFIER',
  silentVerifier: 'AIC_FAULT_SILENT_FIRST_DRAW',
  wrongScores: 'AIC_FAULT_WRONG_SCORES',
  lyingReferee: 'AIC_FAULT_LYING_REFEREE',
  wrongAssignment: 'AIC_FAULT_WRONG_ASSIGNMENT',
} as const;

/** $AIC_FAULT_LYING_REFEREE: '1' lies on every committee, 'first-round' only on a first one (a bought first
 * committee; the appeal's fresh referees are honest). */
function lyingRefereeOf(value: string | undefined): { lyingReferee?: 'always' | 'first-round' } {
  if (value === undefined || value === '' || value === '0') return {};
  if (value === '1') return { lyingReferee: 'always' };
  if (value === 'first-round') return { lyingReferee: 'first-round' };
  throw new AicError('CLI_INVALID_ARGUMENT', `${FAULT_ENV.lyingReferee} must be 1 or first-round`);
}

/** The node's run options from resolved flags (the password comes from its own source: file, env or prompt). */
export function runOptionsOf(
  v: NodeFlagValues,
  password: string,
  env: NodeJS.ProcessEnv = process.env,
): RunNodeOptions {
  const preset = presetOf(v.preset);
  return {
    dataDir: v['data-dir'],
    account: v.account,
    keystore: v.keystore,
    password,
    listen: v.listen,
    bootstrap: v.bootstrap,
    apiHost: v['api-host'],
    apiPort: v['api-port'],
    role: v.role,
    rpcUrl: v['rpc-url'],
    deploymentFile: v.deployment,
    ...povValidatorOf(v),
    logLevel: v['log-level'],
    logFormat: v['log-format'],
    republishIntervalMs: v['republish-interval-ms'],
    coordinatesIntervalMs: v['coordinates-interval-ms'],
    targetPeers: v['target-peers'],
    api: {
      allowedHosts: v['api-allow-host'],
      allowedOrigins: v['api-allow-origin'],
      budget: { perJobWei: capWei(v['budget-per-job-aic']), perDayWei: capWei(v['budget-per-day-aic']) },
    },
    jobs: jobRolesOf(v, preset, env),
    ...(v.rater
      ? {
          rater: {
            stakeAic: v['rater-stake-aic'],
            pollIntervalMs: preset.rater.pollIntervalMs,
            lie: env[FAULT_ENV.wrongScores] === '1',
          },
        }
      : {}),
    storage: {
      ...(v.storage
        ? {
            role: {
              capacityMiB: v['storage-capacity-mib'],
              priceAicPerMiBEpoch: v['storage-price-aic-per-mib-epoch'],
              maxCollateralAic: v['storage-max-collateral-aic'],
              answerIntervalMs: preset.storage.answerIntervalMs,
              collectIntervalMs: preset.storage.collectIntervalMs,
            },
          }
        : {}),
      owner: preset.storage,
    },
  };
}

/** `--pov-validator`'s options; its genesis file is required. */
function povValidatorOf(v: NodeFlagValues): Pick<RunNodeOptions, 'povValidator'> {
  if (!v['pov-validator']) return {};
  const genesisFile = v['pov-genesis'];
  if (genesisFile === undefined)
    throw new AicError('CLI_INVALID_ARGUMENT', '--pov-validator needs --pov-genesis <file>');
  return { povValidator: { genesisFile, rpcPort: v['pov-rpc-port'] } };
}

/** A budget cap in wei; '0' means no cap. */
function capWei(aicAmount: string): bigint | undefined {
  const wei = aicToWei(aicAmount);
  return wei === 0n ? undefined : wei;
}

/** Multi-task switching's options, when a mining command is configured (the rest of its defaults from the preset). */
function miningOf(v: NodeFlagValues, preset: AicPreset) {
  const command = v['mining-command'];
  if (command === undefined) return {};
  const { suspendTimeoutMs, sampleIntervalMs, restartBaseMs, restartMaxMs } = preset.mining;
  return {
    mining: {
      command,
      args: v['mining-arg'],
      suspend: v['mining-suspend'],
      ownerThresholdPercent: v['mining-owner-threshold'],
      minDwellMs: v['mining-min-dwell-ms'],
      ...{ suspendTimeoutMs, sampleIntervalMs, restartBaseMs, restartMaxMs },
    },
  };
}

function jobRolesOf(v: NodeFlagValues, preset: AicPreset, env: NodeJS.ProcessEnv): RunNodeOptions['jobs'] {
  const fake = env[FAULT_ENV.fakeSegments];
  const fakeSegmentFraction = fake === undefined ? undefined : Number(fake);
  if (fakeSegmentFraction !== undefined && !(fakeSegmentFraction > 0 && fakeSegmentFraction <= 1)) {
    throw new AicError('CLI_INVALID_ARGUMENT', `${FAULT_ENV.fakeSegments} must be in (0, 1]`);
  }
  return {
    // Every requester watches its jobs' providers (issue 15: it preempts a silent one where the market lets it).
    requester: v['liveness-grace-ms'] === undefined ? {} : { livenessGraceMs: v['liveness-grace-ms'] },
    ...(v.provider
      ? {
          provider: {
            hwClass: v['hw-class'],
            stakeAic: v['stake-aic'],
            priceAicPerHour: v['price-aic-per-hour'],
            memoryMiB: v['worker-memory-mib'],
            timeoutMs: v['worker-timeout-ms'],
            ...miningOf(v, preset),
            offerTtlSeconds: preset.provider.offerTtlSeconds,
            offerRepublishMs: preset.provider.offerRepublishMs,
            fakeSegmentFraction,
          },
        }
      : {}),
    ...(v.verifier
      ? {
          verifier: {
            lazy: env[FAULT_ENV.lazyVerifier] === '1',
            silentOnFirstDraw: env[FAULT_ENV.silentVerifier] === '1',
            ...lyingRefereeOf(env[FAULT_ENV.lyingReferee]),
          },
        }
      : {}),
    ...(v.coordinator
      ? {
          coordinator: {
            livenessGraceMs: v['liveness-grace-ms'],
            canaryIntervalMs: v['canary-interval-ms'],
            rechallengeAfterMs: preset.coordinator.rechallengeAfterMs,
            ...(env[FAULT_ENV.wrongAssignment] === '1' ? { wrongAssignments: true } : {}),
          },
        }
      : {}),
  };
}
