import { type Logger, type LoggerOptions, pino } from 'pino';
import { boundedError, boundLogFields } from './api/bounded.ts';
import type { LogLevel } from './options.ts';

export type { Logger } from 'pino';

/**
 * Log level policy (README "Logs"): `info` is for operators (start, stop, peers joining, offers published),
 * `debug` for developers (each message handled), payloads only at `debug`/`trace`, never keys or passwords.
 */
export { LOG_LEVELS, type LogLevel } from './options.ts';

/** Root logger of a node process: JSON lines on the given stream (stdout by default). */
export function createRootLogger(
  opts: { level?: LogLevel; name?: string; destination?: NodeJS.WritableStream } = {},
): Logger {
  const options: LoggerOptions = {
    level: opts.level ?? 'info',
    base: { name: opts.name ?? 'aic-node' },
    // Belt and braces: even if a caller logs a whole config object, these never reach the output.
    redact: {
      paths: [
        'password',
        '*.password',
        'privateKey',
        '*.privateKey',
        'token',
        '*.token',
        'authorization',
        '*.authorization',
      ],
      censor: '[redacted]',
    },
    // Bounded lines: an error carrying a whole ABI (viem) or a long revert must not become a 32 KB log line.
    formatters: { log: boundLogFields },
    serializers: { err: (err: unknown) => (err instanceof Error ? boundedError(err) : err) },
  };
  return opts.destination === undefined ? pino(options) : pino(options, opts.destination);
}

/** A child logger for one module, e.g. `moduleLogger(root, 'api')`. */
export function moduleLogger(root: Logger, module: string): Logger {
  return root.child({ module });
}
