import { ctr } from '@noble/ciphers/aes.js';
import { pbkdf2 } from '@noble/hashes/pbkdf2.js';
import { sha256 } from '@noble/hashes/sha2.js';
import { keccak_256 } from '@noble/hashes/sha3.js';
import { bytesToHex, concatBytes, randomBytes } from '@noble/hashes/utils.js';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isAicError } from '../../src/index.ts';
import {
  decryptKeystore,
  encryptKeystore,
  parseKeystore,
  parsePrivateKeyHex,
  privateKeyBytesToAddress,
  SECP256K1_ORDER,
} from '../../src/keystore/index.ts';

// A bad key file must fail with a typed error that never carries the key: not in the message, the details or any
// cause, in hex (either case, with or without 0x) or in decimal.

const RUNS = Number(process.env.AIC_PROPERTY_RUNS ?? 100);
const SEED = process.env.AIC_PROPERTY_SEED === undefined ? {} : { seed: Number(process.env.AIC_PROPERTY_SEED) };
const params = { numRuns: RUNS, ...SEED };

/** Everything an error shows: message, details, toJSON, and the whole cause chain (messages, details, stacks). */
function visibleText(error: unknown): string {
  const parts: string[] = [];
  let current: unknown = error;
  for (let depth = 0; current !== undefined && current !== null && depth < 10; depth++) {
    if (current instanceof Error) {
      parts.push(current.message, current.stack ?? '', String(current));
      if (isAicError(current)) parts.push(JSON.stringify(current.toJSON()), current.toLine());
      current = current.cause;
    } else {
      parts.push(String(current));
      current = undefined;
    }
  }
  return parts.join('\n').toLowerCase();
}

/** The forms in which `secret` (hex text, as the file holds it) would be recognisable. */
function secretForms(hex: string): string[] {
  const bare = hex.trim().replace(/^0x/i, '').toLowerCase();
  const forms = [bare];
  if (/^[0-9a-f]+$/.test(bare) && bare.length > 0) forms.push(BigInt(`0x${bare}`).toString());
  return forms.filter((f) => f.length >= 12);
}

function expectNoLeak(error: unknown, code: string, hex: string): void {
  expect(isAicError(error, code), `expected ${code}, got ${String(error)}`).toBe(true);
  const text = visibleText(error);
  for (const form of secretForms(hex)) expect(text.includes(form), `error shows ${form}`).toBe(false);
}

function thrown(fn: () => unknown): unknown {
  try {
    fn();
  } catch (error) {
    return error;
  }
  throw new Error('expected a throw');
}

async function rejected(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error('expected a rejection');
}

const bigintToHex = (k: bigint) => k.toString(16).padStart(64, '0');
const hexToKeyBytes = (hex: string) => Uint8Array.from(Buffer.from(hex, 'hex'));

/** Keys no secp256k1 signer accepts: zero, n, and everything from n up to 2^256 − 1. */
const outOfRangeKey = fc.oneof(
  fc.constant(0n),
  fc.constant(SECP256K1_ORDER),
  fc.bigInt({ min: SECP256K1_ORDER, max: 2n ** 256n - 1n }),
);

/** How a key file spells the hex: optional 0x, lower / upper / mixed case, surrounding whitespace. */
const spelled = (hex: string) =>
  fc
    .tuple(fc.boolean(), fc.constantFrom('lower', 'upper', 'mixed'), fc.constantFrom('', '\n', '  ', '\r\n'))
    .map(([prefix, style, ws]) => {
      const body =
        style === 'lower'
          ? hex
          : style === 'upper'
            ? hex.toUpperCase()
            : [...hex].map((c, i) => (i % 2 ? c.toUpperCase() : c)).join('');
      return `${prefix ? '0x' : ''}${body}${ws}`;
    });

/** Text of a bad key file: out of range, wrong length, or not hex. */
const badKeyFile = fc.oneof(
  outOfRangeKey.chain((k) => spelled(bigintToHex(k))),
  fc
    .integer({ min: 8, max: 64 })
    .filter((n) => n !== 32)
    .chain((n) => fc.uint8Array({ minLength: n, maxLength: n }))
    .chain((b) => spelled(bytesToHex(b))),
  fc
    .tuple(
      fc.uint8Array({ minLength: 32, maxLength: 32 }),
      fc.nat({ max: 63 }),
      fc.constantFrom('g', 'z', 'x', ' ', '-'),
    )
    .map(([b, at, ch]) => {
      const hex = bytesToHex(b);
      return `${hex.slice(0, at)}${ch}${hex.slice(at + 1)}`;
    }),
);

/** A keystore v3 (pbkdf2 with one round, so the property runs fast) holding exactly `key`, whatever it is. */
function keystoreHolding(key: Uint8Array, password: string): Record<string, unknown> {
  const salt = randomBytes(16);
  const iv = randomBytes(16);
  const derived = pbkdf2(sha256, new TextEncoder().encode(password.normalize('NFKC')), salt, { c: 1, dkLen: 32 });
  const ciphertext = ctr(derived.slice(0, 16), iv).encrypt(key);
  return {
    version: 3,
    crypto: {
      cipher: 'aes-128-ctr',
      ciphertext: bytesToHex(ciphertext),
      cipherparams: { iv: bytesToHex(iv) },
      kdf: 'pbkdf2',
      kdfparams: { dklen: 32, salt: bytesToHex(salt), c: 1, prf: 'hmac-sha256' },
      mac: bytesToHex(keccak_256(concatBytes(derived.slice(16, 32), ciphertext))),
    },
  };
}

describe('no key material in errors', () => {
  it('refuses zero and keys not below the curve order with KEY_INVALID, naming the reason only', () => {
    const zero = thrown(() => parsePrivateKeyHex(`0x${'0'.repeat(64)}`));
    expect(isAicError(zero, 'KEY_INVALID') && zero.details).toEqual({ reason: 'zero' });
    const order = thrown(() => parsePrivateKeyHex(bigintToHex(SECP256K1_ORDER)));
    expect(isAicError(order, 'KEY_INVALID') && order.details).toEqual({ reason: 'not-below-curve-order' });
    expect(parsePrivateKeyHex(bigintToHex(SECP256K1_ORDER - 1n))).toHaveLength(32);
    expect(parsePrivateKeyHex(`0x${'0'.repeat(63)}1`)).toHaveLength(32);
  });

  it('a bad hex key file never shows up in the error (property)', () => {
    fc.assert(
      fc.property(badKeyFile, (text) =>
        expectNoLeak(
          thrown(() => parsePrivateKeyHex(text)),
          'KEY_INVALID',
          text,
        ),
      ),
      params,
    );
  });

  it('out-of-range key bytes never show up when deriving an address (property)', () => {
    fc.assert(
      fc.property(outOfRangeKey, (k) => {
        const hex = bigintToHex(k);
        expectNoLeak(
          thrown(() => privateKeyBytesToAddress(hexToKeyBytes(hex))),
          'KEY_INVALID',
          hex,
        );
      }),
      params,
    );
  });

  it('out-of-range key bytes never show up when encrypting a keystore (property)', async () => {
    await fc.assert(
      fc.asyncProperty(outOfRangeKey, async (k) => {
        const hex = bigintToHex(k);
        expectNoLeak(await rejected(encryptKeystore(hexToKeyBytes(hex), 'pw', { scryptN: 2 })), 'KEY_INVALID', hex);
      }),
      params,
    );
  });

  it('a keystore that decrypts to an out-of-range key fails without showing it (property)', async () => {
    await fc.assert(
      fc.asyncProperty(outOfRangeKey, fc.string({ maxLength: 12 }), async (k, password) => {
        const hex = bigintToHex(k);
        const keystore = keystoreHolding(hexToKeyBytes(hex), password);
        expectNoLeak(await rejected(decryptKeystore(keystore, password)), 'KEY_INVALID', hex);
      }),
      params,
    );
  });

  it('a key file given where a keystore is expected fails as KEYSTORE_INVALID without quoting it (property)', async () => {
    const anyKeyText = fc.oneof(
      fc.uint8Array({ minLength: 32, maxLength: 32 }).chain((b) => spelled(bytesToHex(b))),
      badKeyFile,
    );
    await fc.assert(
      fc.asyncProperty(anyKeyText, async (text) => {
        expectNoLeak(
          thrown(() => parseKeystore(text)),
          'KEYSTORE_INVALID',
          text,
        );
        expectNoLeak(await rejected(decryptKeystore(text, 'pw')), 'KEYSTORE_INVALID', text);
        // A JSON string or number holding the key is valid JSON but no keystore.
        expectNoLeak(
          thrown(() => parseKeystore(JSON.stringify(text))),
          'KEYSTORE_INVALID',
          text,
        );
      }),
      params,
    );
  });
});
