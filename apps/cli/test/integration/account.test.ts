import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { encryptKeystoreJson, Wallet } from 'ethers';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runCli } from '../../src/program.ts';
import { captureIo } from '../helpers/capture-io.ts';

const PASSWORD = 'import-test-password';
const KEY = `0x${'42'.repeat(32)}`;

describe('aic account import', () => {
  let dir: string;
  const aic = async (args: string[], env: NodeJS.ProcessEnv = { AIC_PASSWORD: PASSWORD }, stdin?: string) => {
    const { io, out, err } = captureIo(env, stdin);
    const code = await runCli(['--json', '--data-dir', join(dir, 'data'), ...args], io);
    return { code, out: out(), err: err() };
  };

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'aic-import-'));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('imports a hex private key from stdin into a keystore ethers can open', async () => {
    const run = await aic(['account', 'import', '-', '--scrypt-n', '1024'], { AIC_PASSWORD: PASSWORD }, `${KEY}\n`);
    expect(run.code).toBe(0);
    const result = JSON.parse(run.out) as { address: string; keystore: string };
    const wallet = await Wallet.fromEncryptedJson(await readFile(result.keystore, 'utf8'), PASSWORD);
    expect(wallet.privateKey).toBe(KEY);
    expect(result.address).toBe(new Wallet(KEY).address);
  });

  it('adopts an existing keystore after checking its password, and refuses a second copy', async () => {
    const file = join(dir, 'wallet.json');
    await writeFile(file, await encryptKeystoreJson(new Wallet(KEY), PASSWORD, { scrypt: { N: 1024 } }));
    const first = await aic(['account', 'import', file]);
    expect(first.code).toBe(0);
    expect((JSON.parse(first.out) as { address: string }).address).toBe(new Wallet(KEY).address);
    const again = await aic(['account', 'import', file]);
    expect(again.code).toBe(1);
    expect(again.err).toMatch(/^ACCOUNT_EXISTS_CONFLICT: /);
  });

  it('rejects a wrong keystore password and a file that is no key', async () => {
    const file = join(dir, 'wallet.json');
    await writeFile(file, await encryptKeystoreJson(new Wallet(KEY), PASSWORD, { scrypt: { N: 1024 } }));
    const wrong = await aic(['account', 'import', file], { AIC_PASSWORD: 'wrong' });
    expect(wrong.err).toMatch(/^KEYSTORE_WRONG_PASSWORD: /);
    expect(wrong.err).not.toContain('wrong\n');
    await writeFile(join(dir, 'junk.txt'), 'hello');
    const junk = await aic(['account', 'import', join(dir, 'junk.txt')]);
    expect(junk.code).toBe(1);
    expect(junk.err).toMatch(/^ACCOUNT_IMPORT_INVALID: /);
    expect(JSON.parse(junk.out).error.code).toBe('ACCOUNT_IMPORT_INVALID');
  });

  it('asks for --account when there are several', async () => {
    await aic(['account', 'new', '--scrypt-n', '1024']);
    await aic(['account', 'new', '--scrypt-n', '1024']);
    const ambiguous = await aic(['account', 'address']);
    expect(ambiguous.code).toBe(1);
    expect(ambiguous.err).toMatch(/^ACCOUNT_AMBIGUOUS: /);
    const list = JSON.parse((await aic(['account', 'list'])).out) as { accounts: Array<{ address: string }> };
    expect(list.accounts).toHaveLength(2);
    const chosen = await aic(['account', 'address', '--account', list.accounts[1]!.address.toLowerCase()]);
    expect(JSON.parse(chosen.out)).toEqual({ address: list.accounts[1]!.address });
  });
});
