import { encryptKeystoreJson, Wallet } from 'ethers';
import { describe, expect, it } from 'vitest';
import { isAicError } from '../../src/index.ts';
import { DEFAULT_SCRYPT_N, decryptKeystore, encryptKeystore, keystoreAddress } from '../../src/keystore/index.ts';

// Low scrypt cost in tests only; real keystores use the default N = 2^18.
const scryptN = 1024;
const password = 'correct horse battery staple';
const privateKey = Uint8Array.from({ length: 32 }, (_, i) => i + 1);
const privateKeyHex = `0x${Buffer.from(privateKey).toString('hex')}`;

async function thrownCode(promise: Promise<unknown>): Promise<string | undefined> {
  try {
    await promise;
  } catch (error) {
    return isAicError(error) ? error.code : 'not-an-AicError';
  }
  return undefined;
}

describe('keystore v3', () => {
  it('writes a keystore that ethers decrypts to the same key and address', async () => {
    const json = await encryptKeystore(privateKey, password, { scryptN });
    const wallet = await Wallet.fromEncryptedJson(JSON.stringify(json), password);
    expect(wallet.privateKey).toBe(privateKeyHex);
    expect(keystoreAddress(json)).toBe(wallet.address);
    expect(json.crypto.kdfparams.n).toBe(scryptN);
  });

  it('decrypts a keystore written by ethers', async () => {
    const wallet = new Wallet(privateKeyHex);
    const json = await encryptKeystoreJson(wallet, password, { scrypt: { N: scryptN } });
    const decrypted = await decryptKeystore(JSON.parse(json), password);
    expect(Buffer.from(decrypted).toString('hex')).toBe(privateKeyHex.slice(2));
    expect(keystoreAddress(json)).toBe(wallet.address);
  });

  it('writes the standard scrypt cost (N = 2^18) by default', async () => {
    const json = await encryptKeystore(privateKey, password);
    expect(json.crypto.kdfparams).toMatchObject({ n: DEFAULT_SCRYPT_N, r: 8, p: 1, dklen: 32 });
    expect(DEFAULT_SCRYPT_N).toBe(262_144);
  });

  it('rejects a wrong password with KEYSTORE_WRONG_PASSWORD', async () => {
    const json = await encryptKeystore(privateKey, password, { scryptN });
    expect(await thrownCode(decryptKeystore(json, 'not the password'))).toBe('KEYSTORE_WRONG_PASSWORD');
  });

  it('rejects malformed files with KEYSTORE_INVALID', async () => {
    const json = await encryptKeystore(privateKey, password, { scryptN });
    expect(await thrownCode(decryptKeystore('{not json', password))).toBe('KEYSTORE_INVALID');
    expect(await thrownCode(decryptKeystore({ ...json, version: 2 }, password))).toBe('KEYSTORE_INVALID');
    const badCipher = { ...json, crypto: { ...json.crypto, cipher: 'aes-256-cbc' } };
    expect(await thrownCode(decryptKeystore(badCipher, password))).toBe('KEYSTORE_INVALID');
    const badN = { ...json, crypto: { ...json.crypto, kdfparams: { ...json.crypto.kdfparams, n: 1000 } } };
    expect(await thrownCode(decryptKeystore(badN, password))).toBe('KEYSTORE_INVALID');
  });

  it('rejects a keystore whose address field names another key', async () => {
    const json = await encryptKeystore(privateKey, password, { scryptN });
    const lying = { ...json, address: '00'.repeat(20) };
    expect(await thrownCode(decryptKeystore(lying, password))).toBe('KEYSTORE_INVALID');
  });

  it('rejects a private key that is not 32 bytes', async () => {
    expect(await thrownCode(encryptKeystore(new Uint8Array(31), password, { scryptN }))).toBe('KEY_INVALID');
  });
});
