/**
 * Header decoding and the header rules a PoV block must satisfy against its parent (the EthereumJS blockchain's
 * PoW/Clique validation does not apply: eligibility is the seal's business, checked by the consensus code).
 */
import { type BlockHeader, createBlockHeaderFromRLP } from '@ethereumjs/block';
import type { Common } from '@ethereumjs/common';
import { keccak_256 } from '@noble/hashes/sha3.js';
import { ChainError } from '../errors.ts';
import { MAX_EXTRA_DATA_BYTES, type PovHeaderInfo } from './block-types.ts';

export interface DecodedHeader {
  info: PovHeaderInfo;
  header: BlockHeader;
}

/** Decodes header bytes; malformed input raises CHAIN_INVALID_BLOCK. */
export function decodeHeader(bytes: Uint8Array, common: Common): DecodedHeader {
  let header: BlockHeader;
  try {
    header = createBlockHeaderFromRLP(bytes, { common, setHardfork: false });
  } catch (cause) {
    throw new ChainError('CHAIN_INVALID_BLOCK', 'the block header does not decode', { cause });
  }
  return { header, info: headerInfo(header, keccak_256(bytes)) };
}

export function headerInfo(header: BlockHeader, hash: Uint8Array = header.hash()): PovHeaderInfo {
  return {
    hash,
    parentHash: header.parentHash,
    number: header.number,
    timestampSec: header.timestamp,
    coinbase: header.coinbase.bytes,
    extraData: header.extraData,
    stateRoot: header.stateRoot,
    gasUsed: header.gasUsed,
    gasLimit: header.gasLimit,
  };
}

/** The rules of a child header given its parent: number, time, gas limit, London base fee, blob fields. */
export function checkHeaderAgainstParent(header: BlockHeader, parent: BlockHeader, common: Common): void {
  const fail = (message: string, details: Record<string, unknown> = {}): never => {
    throw new ChainError('CHAIN_INVALID_BLOCK', message, { details: { number: header.number, ...details } });
  };
  if (header.number !== parent.number + 1n) fail('block number is not its parent number + 1');
  if (header.timestamp <= parent.timestamp) fail('block timestamp is not after its parent');
  if (header.extraData.length > MAX_EXTRA_DATA_BYTES) fail('extraData is longer than 32 bytes');
  if (header.difficulty !== 0n) fail('difficulty must be 0 (the seal, not work, admits a block)');
  try {
    header.validateGasLimit(parent);
  } catch (cause) {
    throw new ChainError('CHAIN_INVALID_BLOCK', 'gas limit moved more than 1/1024 from the parent', { cause });
  }
  const expectedBaseFee = parent.calcNextBaseFee();
  if (header.baseFeePerGas !== expectedBaseFee) {
    fail('base fee does not follow the parent (London)', { expectedBaseFee, baseFee: header.baseFeePerGas });
  }
  if (header.excessBlobGas !== parent.calcNextExcessBlobGas(common)) fail('excessBlobGas does not follow the parent');
}
