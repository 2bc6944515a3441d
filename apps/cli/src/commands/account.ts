import { type Command, Option } from 'commander';
import { parseUint } from '../args.ts';
import { action } from '../context.ts';
import type { CliIo } from '../io.ts';

// The actions (keystore crypto, libp2p for the PeerId) load only when one runs.
const run = () => import('./account-run.ts');

const passwordFileOption = () =>
  new Option('--password-file <file>', 'read the password from this file (else $AIC_PASSWORD or a prompt)');
// Only for throwaway accounts (tests, devnet): a low scrypt cost makes the keystore much easier to brute-force.
const scryptNOption = () => new Option('--scrypt-n <n>', 'scrypt cost (power of two)').argParser(parseUint).hideHelp();

/** `aic account new | import | list | address`. */
export function registerAccountCommands(program: Command, io: CliIo): void {
  const account = program.command('account').description('manage member keys (Ethereum keystore v3 files)');
  account
    .command('new')
    .description('create a new secp256k1 key: your chain address and your node PeerId')
    .addOption(passwordFileOption())
    .addOption(scryptNOption())
    .action(action(io, async (ctx, o: KeyOptions) => (await run()).newAccount(ctx, o)));
  account
    .command('import')
    .description('import a keystore v3 file, or a hex private key from a file ("-" reads stdin)')
    .argument('<file>', 'keystore JSON or a file holding a 0x… private key')
    .addOption(passwordFileOption())
    .addOption(scryptNOption())
    .action(action(io, async (ctx, o: KeyOptions, file: string) => (await run()).importAccount(ctx, o, file)));
  account
    .command('list')
    .description('list the accounts in the data directory')
    .action(action(io, async (ctx) => (await run()).listAccounts(ctx)));
  account
    .command('address')
    .description('print the address of the account (the only one, or --account)')
    .option('--account <address>', 'which account, when there are several')
    .action(action(io, async (ctx, o: { account?: string }) => (await run()).printAddress(ctx, o)));
}

export interface KeyOptions {
  passwordFile?: string;
  scryptN?: number;
}
