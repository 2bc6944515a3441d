export { type DevDeployment, deployDevnet } from './dev-deploy.ts';
export { type EmbeddedChain, startEmbeddedChain } from './embedded-chain.ts';
