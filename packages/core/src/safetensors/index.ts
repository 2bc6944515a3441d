export {
  dtypeByteSize,
  isSafetensorsDtype,
  SAFETENSORS_DTYPES,
  type SafetensorsDtype,
} from './dtype.ts';
export { readSafetensors } from './read.ts';
export { type NumericArray, tensorFromArray, tensorFromBooleans, tensorToArray } from './typed.ts';
export {
  DEFAULT_SAFETENSORS_READ_LIMITS,
  type SafetensorsFile,
  type SafetensorsReadLimits,
  type SafetensorsTensor,
} from './types.ts';
export { writeSafetensors } from './write.ts';
