/** @aic/chain/node — the PoV validator service: what the AIC node (`--pov-validator`), the devnet and tests start. */
export { createPovConsensus, type PovConsensusInit } from './consensus-adapter.ts';
export { validatorChainOf } from './exec-adapter.ts';
export { POV_FAULTS, type PovFault, povFaultFromEnv } from './faults.ts';
export {
  type PovGenesis,
  parsePovGenesis,
  povGenesisFileSchema,
  povGenesisToJson,
  readPovGenesis,
} from './genesis-file.ts';
export type { EvidenceSink, ValidatorChain, ValidatorConsensus, WonTicket } from './ports.ts';
export { type PovValidatorNode, type PovValidatorNodeInit, startPovValidatorNode } from './run.ts';
export { PovValidator, type PovValidatorEvents, type PovValidatorInit, type PovValidatorLogger } from './validator.ts';
export { povAttestationSpec, povBlockSpec, povSyncProtocol, povTxsSpec } from './wire.ts';
