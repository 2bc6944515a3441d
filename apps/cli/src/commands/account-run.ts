/** The actions of `aic account …` (see account.ts). */
import { readFile } from 'node:fs/promises';
import { AicError } from '@aic/core';
import type { KeystoreV3 } from '@aic/core/keystore';
import {
  DEFAULT_SCRYPT_N,
  decryptKeystore,
  encryptKeystore,
  looksLikePrivateKeyHex,
  parseKeystore,
  parsePrivateKeyHex,
} from '@aic/core/keystore';
import { findKeystore, keystoreDir, listKeystores, saveKeystore } from '@aic/node/identity';
import { generatePrivateKey } from 'viem/accounts';
import { readStream } from '../args.ts';
import type { CommandContext } from '../context.ts';
import { printResult, table } from '../output.ts';
import { resolvePassword } from '../password.ts';
import { withProgress } from '../progress.ts';
import type { KeyOptions } from './account.ts';

interface AccountResult {
  address: string;
  peerId: string;
  keystore: string;
}

export async function newAccount(ctx: CommandContext, opts: KeyOptions): Promise<void> {
  const privateKey = parsePrivateKeyHex(generatePrivateKey());
  const password = await resolvePassword(ctx.io, {
    passwordFile: opts.passwordFile,
    confirm: true,
    purpose: 'the new key',
  });
  const result = await storeKey(ctx, privateKey, password, opts.scryptN);
  printResult(ctx.io, ctx.global.json, result, describeAccount);
}

export async function importAccount(ctx: CommandContext, opts: KeyOptions, file: string): Promise<void> {
  const text = (file === '-' ? await readStream(ctx.io.stdin) : await readKeyFile(file)).trim();
  if (looksLikePrivateKeyHex(text)) {
    // KEY_INVALID (the reason only, never the value) for a wrong length, zero or a value ≥ the curve order.
    const privateKey = parsePrivateKeyHex(text, `the key in ${file === '-' ? 'stdin' : file}`);
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

export async function listAccounts(ctx: CommandContext): Promise<void> {
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

export async function printAddress(ctx: CommandContext, opts: { account?: string }): Promise<void> {
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
