export { AicError, causeChain, isAicError } from './aic-error.ts';
