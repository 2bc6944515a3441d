/**
 * Ethereum keystore v3 (Web3 Secret Storage): one secp256k1 key per member, encrypted with scrypt + aes-128-ctr,
 * importable by any wallet (DESIGN.md §1). Pure: no file I/O here; callers read and write the JSON.
 */
export { privateKeyBytesToAddress } from './address.ts';
export { decryptKeystore, keystoreAddress, parseKeystore } from './decrypt.ts';
export { DEFAULT_SCRYPT_N, type EncryptKeystoreOptions, encryptKeystore } from './encrypt.ts';
export {
  assertValidPrivateKey,
  type InvalidKeyReason,
  looksLikePrivateKeyHex,
  parsePrivateKeyHex,
  SECP256K1_ORDER,
} from './private-key.ts';
export type { KeystoreV3, ParsedKeystore } from './schema.ts';
