/**
 * Stable codes of the errors @aic/core raises (tests, API bodies, CLI lines and logs key on them).
 * `npm run check` (scripts/check-error-codes.ts) fails when the source raises a code missing here.
 */
export const CORE_ERROR_CODES = [
  'KEYSTORE_INVALID',
  'KEYSTORE_INVALID_KEY',
  'KEYSTORE_WRONG_PASSWORD',
  'KEY_INVALID',
  'MERKLE_EMPTY',
  'MERKLE_INDEX_OUT_OF_RANGE',
  'MERKLE_INVALID_NODE',
  'PARAMS_PRESET_UNKNOWN',
  'SAFETENSORS_BIG_ENDIAN_HOST',
  'SAFETENSORS_HEADER_TOO_LARGE',
  'SAFETENSORS_HEADER_TOO_SMALL',
  'SAFETENSORS_INCOMPLETE_BUFFER',
  'SAFETENSORS_INVALID_HEADER',
  'SAFETENSORS_INVALID_HEADER_LENGTH',
  'SAFETENSORS_INVALID_METADATA',
  'SAFETENSORS_INVALID_OFFSET',
  'SAFETENSORS_INVALID_TENSOR_INFO',
  'SAFETENSORS_TOO_MANY_TENSORS',
] as const;

export type CoreErrorCode = (typeof CORE_ERROR_CODES)[number];
