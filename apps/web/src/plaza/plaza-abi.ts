/** The few contract functions the browser calls on PLAZA (human-readable ABI: the @aic/ledger artifacts stay out). */
import { parseAbi } from 'viem';

export const tokenAbi = parseAbi([
  'function approve(address spender, uint256 value) returns (bool)',
  'function balanceOf(address account) view returns (uint256)',
]);

const PERMIT = '(uint256 value, uint256 deadline, uint8 v, bytes32 r, bytes32 s)';
export const plazaAbi = parseAbi([
  `function buyUses(uint256 tokenId, uint256 uses, uint256 maxTotal, ${PERMIT} permit)`,
  `function buy(uint256 tokenId, uint256 maxPrice, ${PERMIT} permit)`,
  `function rent(uint256 tokenId, uint32 numDays, uint256 maxTotal, ${PERMIT} permit)`,
  'function usesLeft(uint256 tokenId, address user) view returns (uint256)',
  'function saleOf(uint256 tokenId) view returns ((address seller, uint96 price))',
  'function termsOf(uint256 tokenId) view returns ((uint96 pricePerDay, uint32 maxDays, address offeredBy) access, (uint96 pricePerDay, uint32 maxDays, address offeredBy) rental)',
]);

export const registryAbi = parseAbi([
  'function assetOf(uint256 tokenId) view returns ((uint8 kind, uint32 licenseId, uint96 pricePerUse, uint64 transferCount, bytes32 contentRoot, string manifestCid))',
  'function ownerOf(uint256 tokenId) view returns (address)',
]);

/** No EIP-2612 permit: the wallet approves first (deadline 0 tells Plaza to skip the permit). */
export const NO_PERMIT = {
  value: 0n,
  deadline: 0n,
  v: 0,
  r: `0x${'00'.repeat(32)}`,
  s: `0x${'00'.repeat(32)}`,
} as const;
