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
  --coordinates-interval-ms <n> how often peer RTTs are sampled for Vivaldi coordinates (default 10000)`;

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
  };
  // Loaded after argument parsing, so --help and usage errors answer without importing libp2p.
  const { runNode } = await import('./run.ts');
  const running = await runNode(options);
  await running.stopped;
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
