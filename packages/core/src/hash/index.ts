export { KECCAK_IMPLEMENTATION, keccak256Bulk, keccak256BulkParts } from './keccak-bulk.ts';
