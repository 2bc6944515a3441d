/**
 * Stable codes of the errors @aic/allocator raises (tests, API bodies, CLI lines and logs key on them).
 * `npm run check` (scripts/check-error-codes.ts) fails when the source raises a code missing here.
 */
export const ALLOCATOR_ERROR_CODES = [
  'ALLOCATOR_JOB_CONFLICT',
  'ALLOCATOR_NO_CAPACITY',
  'ALLOCATOR_OFFER_DUPLICATE',
  'ALLOCATOR_OFFER_INVALID',
  'ALLOCATOR_OFFER_NOT_FOUND',
  'ALLOCATOR_PLACEMENT_UNKNOWN',
  'ALLOCATOR_RELEASE_INVALID',
  'ALLOCATOR_REQUIREMENT_INVALID',
  'ALLOCATOR_REQUIREMENT_UNSATISFIABLE',
] as const;

export type AllocatorErrorCode = (typeof ALLOCATOR_ERROR_CODES)[number];
