export { KECCAK_IMPLEMENTATION, keccak256Bulk } from './keccak-bulk.ts';
