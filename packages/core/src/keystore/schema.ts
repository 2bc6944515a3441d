import { z } from 'zod';

const hex = (bytes?: number) =>
  z
    .string()
    .transform((s) => (s.startsWith('0x') ? s.slice(2) : s).toLowerCase())
    .pipe(
      bytes === undefined
        ? z.string().regex(/^([0-9a-f]{2})+$/)
        : z.string().regex(new RegExp(`^[0-9a-f]{${bytes * 2}}$`)),
    );

/** scrypt parameters as the Web3 Secret Storage definition names them. */
export const scryptParamsSchema = z.object({
  dklen: z.number().int().min(32).max(64),
  salt: hex(),
  n: z
    .number()
    .int()
    .min(2)
    .max(2 ** 24)
    .refine((n) => (n & (n - 1)) === 0, 'n must be a power of two'),
  r: z.number().int().min(1).max(64),
  p: z.number().int().min(1).max(16),
});

/** pbkdf2 parameters (only hmac-sha256, the one PRF the definition uses). */
export const pbkdf2ParamsSchema = z.object({
  dklen: z.number().int().min(32).max(64),
  salt: hex(),
  c: z
    .number()
    .int()
    .min(1)
    .max(2 ** 24),
  prf: z.literal('hmac-sha256'),
});

const cryptoSchema = z.intersection(
  z.object({
    cipher: z.literal('aes-128-ctr'),
    ciphertext: hex(),
    cipherparams: z.object({ iv: hex(16) }),
    mac: hex(32),
  }),
  z.discriminatedUnion('kdf', [
    z.object({ kdf: z.literal('scrypt'), kdfparams: scryptParamsSchema }),
    z.object({ kdf: z.literal('pbkdf2'), kdfparams: pbkdf2ParamsSchema }),
  ]),
);

/**
 * A Web3 Secret Storage (keystore v3) file, as read: hex normalised to lowercase without 0x. Some wallets write
 * `Crypto` instead of `crypto`; both are accepted.
 */
export const keystoreV3Schema = z
  .object({
    version: z.literal(3),
    id: z.string().optional(),
    address: hex(20).optional(),
    crypto: cryptoSchema.optional(),
    Crypto: cryptoSchema.optional(),
  })
  .transform((k, ctx) => {
    const crypto = k.crypto ?? k.Crypto;
    if (crypto === undefined) {
      ctx.addIssue({ code: 'custom', message: 'missing crypto section' });
      return z.NEVER;
    }
    return { version: k.version, id: k.id, address: k.address, crypto };
  });

/** A parsed keystore (lowercase hex, no 0x). */
export type ParsedKeystore = z.output<typeof keystoreV3Schema>;

/** The keystore v3 JSON this module writes (the usual ethers/geth layout). */
export interface KeystoreV3 {
  version: 3;
  id: string;
  /** Lowercase hex address without 0x, as geth writes it. */
  address: string;
  crypto: {
    cipher: 'aes-128-ctr';
    ciphertext: string;
    cipherparams: { iv: string };
    kdf: 'scrypt';
    kdfparams: { dklen: number; salt: string; n: number; r: number; p: number };
    mac: string;
  };
}
