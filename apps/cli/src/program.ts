import { isAicError } from '@aic/core';
import { Command, CommanderError } from 'commander';
import { registerAccountCommands } from './commands/account.ts';
import { registerBalanceCommand } from './commands/balance.ts';
import { registerDataCommands } from './commands/data.ts';
import { registerFaucetCommand } from './commands/faucet.ts';
import { registerJobCommand } from './commands/job.ts';
import { registerJobCommands } from './commands/jobs.ts';
import { registerModelCommands } from './commands/model.ts';
import { registerNodeCommands } from './commands/node.ts';
import { registerOfferCommands } from './commands/offers.ts';
import { registerPeerCommands } from './commands/peers.ts';
import { registerPlazaCommands } from './commands/plaza.ts';
import { registerProviderCommand } from './commands/provider.ts';
import { registerRewardsCommands } from './commands/rewards.ts';
import type { CliIo } from './io.ts';
import { errorJson, errorLine } from './output.ts';

/** Builds the `aic` command tree. */
export function createProgram(io: CliIo): Command {
  const program = new Command('aic')
    .description('AIC (AI Crypto): accounts, your node, peers, offers, jobs and models')
    .version('0.1.0')
    .option('--json', 'machine-readable JSON output')
    .option('--data-dir <dir>', 'data directory: keystores and node state (default $AIC_DATA_DIR or ~/.aic)')
    .option('--api <url>', 'node API to talk to (default $AIC_API_URL or http://127.0.0.1:7700)')
    .option(
      '--api-token-file <file>',
      "the node's API token for writes (default $AIC_API_TOKEN, else <data-dir>/node/api-token)",
    )
    .showHelpAfterError(false)
    .exitOverride()
    .configureOutput({
      writeOut: (s) => io.stdout.write(s),
      writeErr: (s) => io.stderr.write(s),
      // runCli prints argument errors itself, as one `CODE: message` line.
      outputError: () => {},
    });
  registerAccountCommands(program, io);
  registerNodeCommands(program, io);
  registerPeerCommands(program, io);
  registerOfferCommands(program, io);
  registerJobCommands(program, io);
  registerBalanceCommand(program, io);
  registerModelCommands(program, io);
  registerRewardsCommands(program, io);
  registerPlazaCommands(program, io);
  registerDataCommands(program, io);
  registerJobCommand(program, io);
  registerProviderCommand(program, io);
  registerFaucetCommand(program, io);
  return program;
}

/**
 * Runs `aic` with `argv` (without node and script) and returns the exit code: 0 on success, 1 when the command
 * failed, 2 for a usage error. Failures print exactly one line `CODE: message` on stderr (and, with --json,
 * `{"error":…}` on stdout).
 */
export async function runCli(argv: string[], io: CliIo): Promise<number> {
  const program = createProgram(io);
  const json = argv.includes('--json');
  try {
    await program.parseAsync(argv, { from: 'user' });
    return 0;
  } catch (error) {
    if (error instanceof CommanderError) return commanderExit(error, io, json);
    io.stderr.write(`${errorLine(error)}\n`);
    if (json) io.stdout.write(`${JSON.stringify(errorJson(error))}\n`);
    return isUsageError(error) ? 2 : 1;
  }
}

/** Errors the caller fixes by changing the command line (exit 2), e.g. a payment that needs --yes without a TTY. */
function isUsageError(error: unknown): boolean {
  return isAicError(error, 'CLI_INVALID_ARGUMENT') || isAicError(error, 'CLI_CONFIRMATION_REQUIRED');
}

function commanderExit(error: CommanderError, io: CliIo, json: boolean): number {
  // Help and version output already went to stdout; "help shown because no command was given" is a usage error.
  if (error.code === 'commander.helpDisplayed' || error.code === 'commander.version') return 0;
  if (error.code === 'commander.help' || error.code === 'commander.executeSubCommandAsync') return error.exitCode;
  const message = error.message.replace(/^error: /, '');
  io.stderr.write(`CLI_INVALID_ARGUMENT: ${message}\n`);
  if (json) io.stdout.write(`${JSON.stringify({ error: { code: 'CLI_INVALID_ARGUMENT', message, details: {} } })}\n`);
  return 2;
}
