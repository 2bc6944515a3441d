/**
 * @aic/ledger: the on-chain Skeleton. Contracts (contracts/), their compiled typed artifacts, deployment, and the typed
 * viem client that every other component uses to touch the chain.
 */

export type { MintAssetInput } from './actions/assets.ts';
export { type JobRequestInput, jobRequestToArgs } from './actions/jobs.ts';
export type { LedgerContractName, LedgerLog } from './actions/logs.ts';
export {
  accruedAssetFeesOf,
  allAssetIds,
  collectMarketIncome,
  marketClaimableOf,
} from './actions/market-income.ts';
export type { PermitArgs } from './actions/permit.ts';
export * from './artifacts/index.ts';
export {
  createLedgerBase,
  createLedgerClient,
  eventsOf,
  type LedgerBase,
  type LedgerClient,
  type LedgerClientInit,
  type LedgerWallet,
} from './client.ts';
export {
  type DeployConfig,
  type DeployConfigInput,
  deployConfigSchema,
  type MarketParams,
  marketParamsSchema,
  PRESETS,
} from './config.ts';
export { connectLedger } from './connect.ts';
export { type DeployClients, type DeployOptions, deployAic, roleId } from './deploy.ts';
export { deployPovContracts, type PovContracts, type PovDeployInput, stakeValidators } from './deploy-pov.ts';
export {
  type AicContractAddresses,
  type AicDeployment,
  deploymentSchema,
  deploymentToJson,
  parseDeployment,
} from './deployment.ts';
export * from './error-codes.ts';
export { decodeRevert, toLedgerError } from './errors.ts';
export * from './types.ts';
