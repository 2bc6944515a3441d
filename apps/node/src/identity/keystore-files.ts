import { mkdir, readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { AicError } from '@aic/core';
import { decryptKeystore, type KeystoreV3, keystoreAddress } from '@aic/core/keystore';
import type { Address } from 'viem';
import { writeFileAtomic } from '../state/atomic-file.ts';

/** Where a data dir keeps its keystores (geth layout: one `UTC--<time>--<address>.json` per account). */
export function keystoreDir(dataDir: string): string {
  return join(dataDir, 'keystore');
}

export interface KeystoreEntry {
  address: Address;
  path: string;
}

/** Lists the keystore files of a folder (files that are not keystores are skipped). */
export async function listKeystores(dir: string): Promise<KeystoreEntry[]> {
  let names: string[];
  try {
    names = await readdir(dir);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw error;
  }
  const entries: KeystoreEntry[] = [];
  for (const name of names.filter((n) => n.endsWith('.json')).sort()) {
    const path = join(dir, name);
    try {
      entries.push({ address: keystoreAddress(await readFile(path, 'utf8')), path });
    } catch {
      // Not a keystore (or one without an address field): not an account of this folder.
    }
  }
  return entries;
}

/** Saves a keystore under the geth file name; refuses to overwrite an existing account. */
export async function saveKeystore(dir: string, keystore: KeystoreV3): Promise<KeystoreEntry> {
  await mkdir(dir, { recursive: true, mode: 0o700 });
  const address = keystoreAddress(keystore);
  if ((await listKeystores(dir)).some((e) => e.address === address)) {
    throw new AicError('ACCOUNT_EXISTS_CONFLICT', `account ${address} already exists in ${dir}`, {
      details: { address },
    });
  }
  const stamp = new Date().toISOString().replace(/:/g, '-');
  const path = join(dir, `UTC--${stamp}--${keystore.address}.json`);
  await writeFileAtomic(path, JSON.stringify(keystore), 0o600);
  return { address, path };
}

/**
 * Picks the keystore of `address`, or the only one when no address is given.
 * Throws ACCOUNT_NOT_FOUND or ACCOUNT_AMBIGUOUS (several accounts, none chosen).
 */
export async function findKeystore(dir: string, address?: string): Promise<KeystoreEntry> {
  const entries = await listKeystores(dir);
  if (address !== undefined) {
    const match = entries.find((e) => e.address.toLowerCase() === address.toLowerCase());
    if (match === undefined)
      throw new AicError('ACCOUNT_NOT_FOUND', `no keystore for ${address} in ${dir}`, { details: { dir } });
    return match;
  }
  const [only, ...more] = entries;
  if (only === undefined) {
    throw new AicError('ACCOUNT_NOT_FOUND', `no keystore in ${dir}; create one with "aic account new"`, {
      details: { dir },
    });
  }
  if (more.length > 0) {
    throw new AicError('ACCOUNT_AMBIGUOUS', `${entries.length} accounts in ${dir}; choose one with --account`, {
      details: { accounts: entries.map((e) => e.address) },
    });
  }
  return only;
}

/** Reads and decrypts a keystore file into its private key and address. */
export async function unlockKeystore(
  path: string,
  password: string,
): Promise<{ privateKey: Uint8Array; address: Address }> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (cause) {
    throw new AicError('ACCOUNT_NOT_FOUND', `cannot read keystore ${path}`, { cause, details: { path } });
  }
  const privateKey = await decryptKeystore(text, password);
  return { privateKey, address: keystoreAddress(text) };
}
