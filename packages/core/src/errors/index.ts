export { AicError, causeChain, isAicError } from './aic-error.ts';
export { CORE_ERROR_CODES, type CoreErrorCode } from './codes.ts';
