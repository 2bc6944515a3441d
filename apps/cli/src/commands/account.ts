import { readFile } from 'node:fs/promises';
import { AicError } from '@aic/core';
import type { KeystoreV3 } from '@aic/core/keystore';
import { DEFAULT_SCRYPT_N, decryptKeystore, encryptKeystore, parseKeystore } from '@aic/core/keystore';
import { findKeystore, keystoreDir, listKeystores, saveKeystore } from '@aic/node/identity';
import { type Command, Option } from 'commander';
import { hexToBytes } from 'viem';
import { generatePrivateKey } from 'viem/accounts';
import { parseUint, readStream } from '../args.ts';
import { action, type CommandContext } from '../context.ts';
import type { CliIo } from '../io.ts';
import { printResult, table } from '../output.ts';
import { resolvePassword } from '../password.ts';
import { withProgress } from '../progress.ts';

interface AccountResult {
  address: string;
  peerId: string;
  keystore: string;
}

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
    .action(action(io, newAccount));
  account
    .command('import')
    .description('import a keystore v3 file, or a hex private key from a file ("-" reads stdin)')
    .argument('<file>', 'keystore JSON or a file holding a 0x… private key')
    .addOption(passwordFileOption())
    .addOption(scryptNOption())
    .action(action(io, importAccount));
  account.command('list').description('list the accounts in the data directory').action(action(io, listAccounts));
  account
    .command('address')
    .description('print the address of the account (the only one, or --account)')
    .option('--account <address>', 'which account, when there are several')
    .action(action(io, printAddress));
}

interface KeyOptions {
  passwordFile?: string;
  scryptN?: number;
}

async function newAccount(ctx: CommandContext, opts: KeyOptions): Promise<void> {
  const privateKey = hexToBytes(generatePrivateKey());
  const password = await resolvePassword(ctx.io, {
    passwordFile: opts.passwordFile,
    confirm: true,
    purpose: 'the new key',
  });
  const result = await storeKey(ctx, privateKey, password, opts.scryptN);
  printResult(ctx.io, ctx.global.json, result, describeAccount);
}

async function importAccount(ctx: CommandContext, opts: KeyOptions, file: string): Promise<void> {
  const text = (file === '-' ? await readStream(ctx.io.stdin) : await readKeyFile(file)).trim();
  if (/^(0x)?[0-9a-fA-F]{64}$/.test(text)) {
    const privateKey = hexToBytes(`0x${text.replace(/^0x/, '')}`);
    const password = await resolvePassword(ctx.io, {
      passwordFile: opts.passwordFile,
      confirm: true,
      purpose: 'the imported key',
    });
    printResult(ctx.io, ctx.global.json, await storeKey(ctx, privateKey, password, opts.scryptN), describeAccount);
    return;
  }
  const json = parseJsonKeystore(text);
  const password = await resolvePassword(ctx.io, { passwordFile: opts.passwordFile, purpose: 'the keystore' });
  // Decrypt once to prove the password and the file are right before adopting the file unchanged.
  const privateKey = await withProgress(ctx.io, 'checking keystore password (scrypt)', () =>
    decryptKeystore(json, password),
  );
  const entry = await saveKeystore(keystoreDir(ctx.global.dataDir), json as KeystoreV3);
  const result = { address: entry.address, peerId: await peerIdOf(privateKey), keystore: entry.path };
  printResult(ctx.io, ctx.global.json, result, describeAccount);
}

async function listAccounts(ctx: CommandContext): Promise<void> {
  const entries = await listKeystores(keystoreDir(ctx.global.dataDir));
  const accounts = entries.map((e) => ({ address: e.address, keystore: e.path }));
  printResult(ctx.io, ctx.global.json, { accounts }, ({ accounts: list }) =>
    list.length === 0
      ? `no accounts in ${keystoreDir(ctx.global.dataDir)} (create one with "aic account new")`
      : table(
          ['ADDRESS', 'KEYSTORE'],
          list.map((a) => [a.address, a.keystore]),
        ),
  );
}

async function printAddress(ctx: CommandContext, opts: { account?: string }): Promise<void> {
  const entry = await findKeystore(keystoreDir(ctx.global.dataDir), opts.account);
  printResult(ctx.io, ctx.global.json, { address: entry.address }, (r) => r.address);
}

async function storeKey(
  ctx: CommandContext,
  privateKey: Uint8Array,
  password: string,
  scryptN?: number,
): Promise<AccountResult> {
  const keystore = await withProgress(ctx.io, 'encrypting keystore (scrypt)', () =>
    encryptKeystore(privateKey, password, { scryptN: scryptN ?? DEFAULT_SCRYPT_N }),
  );
  const entry = await saveKeystore(keystoreDir(ctx.global.dataDir), keystore);
  return { address: entry.address, peerId: await peerIdOf(privateKey), keystore: entry.path };
}

function describeAccount(r: AccountResult): string {
  return [`address   ${r.address}`, `peer id   ${r.peerId}`, `keystore  ${r.keystore}`].join('\n');
}

async function readKeyFile(file: string): Promise<string> {
  try {
    return await readFile(file, 'utf8');
  } catch (cause) {
    throw new AicError('CLI_FILE_NOT_FOUND', `cannot read ${file}`, { cause });
  }
}

function parseJsonKeystore(text: string): unknown {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new AicError(
      'ACCOUNT_IMPORT_INVALID',
      'the file is neither a keystore v3 JSON nor a 32-byte hex private key',
    );
  }
  parseKeystore(json);
  return json;
}

/** The libp2p PeerId of the key (loaded on demand: @aic/network pulls in libp2p). */
async function peerIdOf(privateKey: Uint8Array): Promise<string> {
  const { peerIdFromPrivateKey } = await import('@aic/network');
  return peerIdFromPrivateKey(privateKey).toString();
}
