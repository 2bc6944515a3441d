export { createDevClients, DEV_MNEMONIC, type DevClients, devAccountKey } from './dev-clients.ts';
export { type DevDeployment, deployDevnet, type LocalSigning } from './dev-deploy.ts';
export {
  type EmbeddedChain,
  type EmbeddedChainOptions,
  type JsonRpcResponse,
  startEmbeddedChain,
} from './embedded-chain.ts';
