/** Multi-task switching (white paper Fig. 11): the owner's miner runs whenever the GPU has no AI job and no owner. */
export { type AiEarningsBook, emptyAiEarnings, foldAiEarnings, followAiEarnings } from './ai-earnings.ts';
export {
  MinerProcess,
  type MinerProcessInit,
  type MinerRunState,
  parseHashLine,
  type SuspendMethod,
  type SuspendResult,
  type SwitchLogger,
} from './miner-process.ts';
export { hasProcFs, type ProcStat, parseProcStat, processGroupMembers, readProcStat } from './proc-state.ts';
export {
  initialSwitchState,
  minerRunsIn,
  SWITCH_MODES,
  type SwitchConfig,
  type SwitchEvent,
  type SwitchMode,
  type SwitchState,
  type SwitchStep,
  stepSwitch,
  switchTimes,
} from './switch-core.ts';
export {
  SwitchingAgent,
  type SwitchingComponents,
  type SwitchingInit,
  type SwitchingStatus,
} from './switching-agent.ts';
export {
  NVIDIA_COMPUTE_APPS_ARGS,
  NVIDIA_UTILIZATION_ARGS,
  nvidiaSmiUtilization,
  parseComputeAppsCsv,
  parseUtilizationCsv,
  type UtilizationContext,
  type UtilizationSource,
} from './utilization.ts';
