import '@aic/core/polyfills';
import { parseArgs } from 'node:util';
import { AicError, isAicError } from '@aic/core';
import { DEFAULT_PRESET, isPresetName, presetOf } from '@aic/core/params';
import { flagUsageLines, parseArgsOptions, type RawNodeFlags, resolveNodeFlags, runOptionsOf } from './flags.ts';
import { passwordFromSources } from './identity/password.ts';

// The bare node process (devnet and tests spawn it; people use `aic node start`, which takes the same flags: both
// are generated from the one flag table in flags.ts).
function usage(presetName: unknown): string {
  const preset = presetOf(
    typeof presetName === 'string' && isPresetName(presetName) ? presetName : DEFAULT_PRESET.name,
  );
  const lines = flagUsageLines(undefined, preset);
  return `usage: node --import tsx apps/node/src/main.ts [options]   (defaults of the ${preset.name} preset)\n${lines.join('\n')}\n  --help`;
}

async function main(argv: string[]): Promise<void> {
  const values = parseFlags(argv);
  if (values.help === true) {
    process.stdout.write(`${usage(values.preset)}\n`);
    return;
  }
  const flags = resolveNodeFlags(values as RawNodeFlags, { isTty: process.stdout.isTTY === true });
  const password = await passwordFromSources({ passwordFile: flags['password-file'] });
  if (password === undefined) throw new AicError('PASSWORD_REQUIRED', 'set AIC_PASSWORD or pass --password-file');
  const options = runOptionsOf(flags, password);
  // Loaded after argument parsing, so --help and usage errors answer without importing libp2p.
  const { runNode } = await import('./run.ts');
  const running = await runNode(options);
  await running.stopped;
  // Stopped cleanly: every role, the API and the network closed their timers, sockets and workers, so the process
  // ends on its own. Should something still hold it, say what (an unref'd timer: it does not hold the process).
  setTimeout(() => {
    const held = process.getActiveResourcesInfo().filter((r) => r !== 'TTYWrap');
    process.stderr.write(`NODE_EXIT_HELD: still running 10 s after stopping: ${held.join(', ')}\n`);
  }, 10_000).unref();
}

/** parseArgs over the flag table; an unknown flag or a missing value is a usage error naming it. */
function parseFlags(argv: string[]): Record<string, string | boolean | (string | boolean)[] | undefined> {
  try {
    return parseArgs({ args: argv, strict: true, options: parseArgsOptions() }).values;
  } catch (cause) {
    const message = cause instanceof Error ? cause.message.split('\n')[0] : String(cause);
    throw new AicError('CLI_INVALID_ARGUMENT', message ?? 'bad arguments', { cause });
  }
}

main(process.argv.slice(2)).catch((error: unknown) => {
  const line = isAicError(error)
    ? error.toLine()
    : `NODE_FAILED: ${error instanceof Error ? error.message : String(error)}`;
  process.stderr.write(`${line}\n`);
  process.exitCode = isAicError(error, 'CLI_INVALID_ARGUMENT') ? 2 : 1;
});
