import '@aic/core/polyfills';
import { parseArgs } from 'node:util';
import { AicError, isAicError } from '@aic/core';
import { passwordFromSources } from './identity/password.ts';
import { LOG_LEVELS, type LogLevel } from './logger.ts';
import { DEFAULT_API_HOST, DEFAULT_API_PORT, DEFAULT_LISTEN, defaultDataDir, type RunNodeOptions } from './options.ts';

// The bare node process (devnet and tests spawn it; people use `aic node start`, which takes the same flags).
const USAGE = `usage: node --import tsx apps/node/src/main.ts [options]
  --data-dir <dir>            state and keystores (default $AIC_DATA_DIR or ~/.aic)
  --account <address>         which keystore of <data-dir>/keystore (default: the only one)
  --keystore <file>           a keystore file elsewhere
  --password-file <file>      keystore password (else $AIC_PASSWORD)
  --listen <multiaddr>        libp2p listen address, repeatable (default ${DEFAULT_LISTEN.join(', ')})
  --bootstrap <multiaddr>     peer to join through (…/p2p/<peerId>), repeatable
  --api-host <host>           HTTP API host (default ${DEFAULT_API_HOST})
  --api-port <port>           HTTP API port, 0 = any free (default ${DEFAULT_API_PORT})
  --role <name>               label shown in status (requester, gpu-provider, data-owner)
  --rpc-url <url>             chain JSON-RPC URL
  --deployment <file>         contract deployment file
  --log-level <level>         ${LOG_LEVELS.join(' | ')} (default info)
  --log-format <format>       json (default) | pretty
  --republish-interval-ms <n> how often own offers are gossiped again (default 30000)
  --coordinates-interval-ms <n> how often peer RTTs are sampled for Vivaldi coordinates (default 10000)
  --provider                  run the GPU Vessel agent: stake, offer, run assigned jobs in a capped worker
  --hw-class <0-4>            hardware class claimed on chain (default 0 = CPU; proven by challenge)
  --stake-aic <n>             stake when registering (default 500)
  --price-aic-per-hour <n>    offer price (default 40)
  --worker-memory-mib <n>     heap cap of the training worker (default 2048)
  --worker-timeout-ms <n>     wall-clock cap of one training run (default 3600000)
  --verifier                  verify committed jobs this node is drawn for (key needs VERIFIER_ROLE)
  --coordinator               allocate, preempt and arbitrate (key needs ALLOCATOR_ROLE and ARBITER_ROLE)
  --liveness-grace-ms <n>     coordinator: preempt a provider unreachable this long (default 3000)
  --canary-interval-ms <n>    coordinator: issue a canary job (known wrong answer) this often (default: none)`;

async function main(argv: string[]): Promise<void> {
  const { values } = parseArgs({
    args: argv,
    strict: true,
    options: {
      'data-dir': { type: 'string' },
      account: { type: 'string' },
      keystore: { type: 'string' },
      'password-file': { type: 'string' },
      listen: { type: 'string', multiple: true },
      bootstrap: { type: 'string', multiple: true },
      'api-host': { type: 'string' },
      'api-port': { type: 'string' },
      role: { type: 'string' },
      'rpc-url': { type: 'string' },
      deployment: { type: 'string' },
      'log-level': { type: 'string' },
      'log-format': { type: 'string' },
      'republish-interval-ms': { type: 'string' },
      'coordinates-interval-ms': { type: 'string' },
      provider: { type: 'boolean' },
      'hw-class': { type: 'string' },
      'stake-aic': { type: 'string' },
      'price-aic-per-hour': { type: 'string' },
      'worker-memory-mib': { type: 'string' },
      'worker-timeout-ms': { type: 'string' },
      verifier: { type: 'boolean' },
      coordinator: { type: 'boolean' },
      'liveness-grace-ms': { type: 'string' },
      'canary-interval-ms': { type: 'string' },
      help: { type: 'boolean' },
    },
  });
  if (values.help === true) {
    process.stdout.write(`${USAGE}\n`);
    return;
  }
  const password = await passwordFromSources({ passwordFile: values['password-file'] });
  if (password === undefined) throw new AicError('PASSWORD_REQUIRED', 'set AIC_PASSWORD or pass --password-file');
  const options: RunNodeOptions = {
    dataDir: values['data-dir'] ?? defaultDataDir(),
    account: values.account,
    keystore: values.keystore,
    password,
    listen: values.listen ?? DEFAULT_LISTEN,
    bootstrap: values.bootstrap ?? [],
    apiHost: values['api-host'] ?? DEFAULT_API_HOST,
    apiPort: parsePort(values['api-port']),
    role: values.role,
    rpcUrl: values['rpc-url'],
    deploymentFile: values.deployment,
    logLevel: parseLogLevel(values['log-level']),
    logFormat: parseLogFormat(values['log-format']),
    republishIntervalMs: parseMs(values['republish-interval-ms'], '--republish-interval-ms'),
    coordinatesIntervalMs: parseMs(values['coordinates-interval-ms'], '--coordinates-interval-ms'),
    jobs: jobRoles(values),
  };
  // Loaded after argument parsing, so --help and usage errors answer without importing libp2p.
  const { runNode } = await import('./run.ts');
  const running = await runNode(options);
  await running.stopped;
  // Stopped cleanly (state saved, API and network closed; logs are written synchronously): leave now instead of
  // waiting for a straggling timer or request of a job role, which held a devnet node's exit for ~90 s.
  process.exit(process.exitCode ?? 0);
}

/** Fault injection for tests (never set in production): a cheating provider, a lazy verifier, a verifier that
 * ignores its first draw of every job (as if offline). */
const FAULT_ENV = {
  fakeSegments: 'AIC_FAULT_FAKE_SEGMENTS',
  lazyVerifier: 'AIC_FAULT_LAZY_VERIFIER',
  silentVerifier: 'AIC_FAULT_SILENT_FIRST_DRAW',
} as const;

function jobRoles(values: Record<string, string | boolean | string[] | undefined>): RunNodeOptions['jobs'] {
  const text = (name: string) => values[name] as string | undefined;
  const amount = (name: string, fallback: string) => {
    const v = text(name) ?? fallback;
    if (!/^[0-9]{1,12}(\.[0-9]{1,18})?$/.test(v))
      throw new AicError('CLI_INVALID_ARGUMENT', `--${name} must be an AIC amount`);
    return v;
  };
  const hwClass = Number(text('hw-class') ?? '0');
  if (!Number.isInteger(hwClass) || hwClass < 0 || hwClass > 4) {
    throw new AicError('CLI_INVALID_ARGUMENT', '--hw-class must be 0..4');
  }
  const fake = process.env[FAULT_ENV.fakeSegments];
  const fakeSegmentFraction = fake === undefined ? undefined : Number(fake);
  if (fakeSegmentFraction !== undefined && !(fakeSegmentFraction > 0 && fakeSegmentFraction <= 1)) {
    throw new AicError('CLI_INVALID_ARGUMENT', `${FAULT_ENV.fakeSegments} must be in (0, 1]`);
  }
  return {
    ...(values.provider === true
      ? {
          provider: {
            hwClass,
            stakeAic: amount('stake-aic', '500'),
            priceAicPerHour: amount('price-aic-per-hour', '40'),
            memoryMiB: parseMs(text('worker-memory-mib'), '--worker-memory-mib') ?? 2048,
            timeoutMs: parseMs(text('worker-timeout-ms'), '--worker-timeout-ms') ?? 3_600_000,
            fakeSegmentFraction,
          },
        }
      : {}),
    ...(values.verifier === true
      ? {
          verifier: {
            lazy: process.env[FAULT_ENV.lazyVerifier] === '1',
            silentOnFirstDraw: process.env[FAULT_ENV.silentVerifier] === '1',
          },
        }
      : {}),
    ...(values.coordinator === true
      ? {
          coordinator: {
            livenessGraceMs: parseMs(text('liveness-grace-ms'), '--liveness-grace-ms') ?? 3_000,
            canaryIntervalMs: parseMs(text('canary-interval-ms'), '--canary-interval-ms') ?? 0,
          },
        }
      : {}),
  };
}

function parsePort(text: string | undefined): number {
  if (text === undefined) return DEFAULT_API_PORT;
  const port = Number(text);
  if (!Number.isInteger(port) || port < 0 || port > 65_535) {
    throw new AicError('CLI_INVALID_ARGUMENT', `--api-port must be 0..65535, got ${text}`);
  }
  return port;
}

function parseMs(text: string | undefined, flag: string): number | undefined {
  if (text === undefined) return undefined;
  const ms = Number(text);
  if (!Number.isInteger(ms) || ms < 100) throw new AicError('CLI_INVALID_ARGUMENT', `${flag} must be an integer ≥ 100`);
  return ms;
}

function parseLogFormat(text: string | undefined): 'json' | 'pretty' {
  if (text === undefined || text === 'json' || text === 'pretty') return text ?? 'json';
  throw new AicError('CLI_INVALID_ARGUMENT', '--log-format must be json or pretty');
}

function parseLogLevel(text: string | undefined): LogLevel {
  if (text === undefined) return 'info';
  if (!(LOG_LEVELS as readonly string[]).includes(text)) {
    throw new AicError('CLI_INVALID_ARGUMENT', `--log-level must be one of ${LOG_LEVELS.join(', ')}`);
  }
  return text as LogLevel;
}

main(process.argv.slice(2)).catch((error: unknown) => {
  const line = isAicError(error)
    ? error.toLine()
    : `NODE_FAILED: ${error instanceof Error ? error.message : String(error)}`;
  process.stderr.write(`${line}\n`);
  process.exitCode = 1;
});
