/**
 * @aic/gpu-vessel: the GPU Vessel (DESIGN.md §6–7) — what a compute provider runs: hardware descriptor and
 * detection, self-benchmark, hardware-class challenges, the sandboxed training worker process, the verifier's job
 * check, and the agents of verified jobs (requester, provider, verifier, coordinator) over libp2p and the chain.
 */
export {
  type CachedDataset,
  CachedDatasets,
  type CachedDatasetsInit,
  recordingMaterialized,
} from './agent/cached-datasets.ts';
export type { CanaryAssets } from './agent/canary.ts';
export type { CanaryPayerPort } from './agent/canary-payers.ts';
export { type AgentContext, type AgentLogger, isTransient, peerOfAddress } from './agent/context.ts';
export { CoordinatorAgent, type CoordinatorInit, type HardwareChallenger } from './agent/coordinator-agent.ts';
export {
  type DatasetHolder,
  datasetBytesOf,
  type JobLocality,
  type LocalityPort,
} from './agent/coordinator-locality.ts';
export { priceWithinEscrow } from './agent/coordinator-shortlist.ts';
export { type FreshPayer, type FreshPayerPort, openPayer, payerAddresses } from './agent/fresh-payers.ts';
export type { ProgressLine, RequesterJobState, RequesterStep } from './agent/job-record.ts';
export { RoleScope, STOP_GRACE_MS, type Startable, startAll } from './agent/lifecycle.ts';
export { ProviderAgent, type ProviderAgentInit, type TrainingRunner } from './agent/provider-agent.ts';
export { RefereeAgent, type RefereeAgentInit } from './agent/referee-agent.ts';
export { RequesterAgent } from './agent/requester/requester-agent.ts';
export {
  type JobOutcome,
  type JobQuote,
  type JobStatus,
  type JobSubmission,
  STALL_AFTER_MS,
} from './agent/requester/types.ts';
export { VerifierAgent, type VerifierAgentInit } from './agent/verifier-agent.ts';
export { workerTrainingRunner } from './agent/worker-runner.ts';
export {
  type BlockCursor,
  type MarketEvent,
  type MarketEventOf,
  type MarketHandlers,
  type MarketWatcher,
  watchMarket,
} from './chain/market-watcher.ts';
export { createSerialQueue } from './chain/serial.ts';
export {
  CHALLENGE_DEFAULTS,
  CHALLENGE_LIMITS,
  type ChallengeSizing,
  CLASS_MATRIX_N,
  challengeFlops,
  createChallenge,
  type HardwareChallenge,
} from './challenge/challenge.ts';
export {
  type ChallengedPeer,
  type ChallengeFailure,
  type ChallengeOutcome,
  type ChallengeProviderOptions,
  challengeProvider,
} from './challenge/challenge-provider.ts';
export { type CheckReason, type CheckResult, checkChallengeAnswer, freivaldsHolds } from './challenge/check.ts';
export { HW_CHALLENGE_PROTOCOL_ID, hardwareChallengeProtocol } from './challenge/protocol.ts';
export { createHardwareChallengeHandler, serveHardwareChallenges } from './challenge/serve.ts';
export { revealRound, solveChallenge } from './challenge/solve.ts';
export * from './errors.ts';
export { type BenchmarkResult, benchmarkTflops, withBenchmark } from './hardware/benchmark.ts';
export {
  type Accelerator,
  CLASS_REQUIREMENTS,
  HARDWARE_CLASSES,
  type HardwareClassId,
  type HardwareDescriptor,
  hardwareClassOf,
  hardwareDescriptorSchema,
  isHardwareClass,
  meetsClass,
} from './hardware/descriptor.ts';
export { detectHardware, parseNvidiaSmiCsv } from './hardware/detect.ts';
export { canonicalGpuModel, descriptorToOfferHardware, primaryAccelerator } from './hardware/offer-hardware.ts';
export type {
  JobAssetPort,
  JobDatasetManifest,
  JobDatasetTensor,
  MaterializeDatasetRequest,
  MaterializedDataset,
} from './jobs/asset-port.ts';
export {
  type CheckpointSource,
  fetchCheckpoint,
  packCheckpoint,
  serveCheckpoints,
} from './jobs/checkpoint-transfer.ts';
export {
  type HardwareRequirementWire,
  hardwareRequirementSchema,
  offerHardwareToMachine,
} from './jobs/hardware-requirement.ts';
export {
  checkDatasetManifestRoot,
  checkModelManifestRoot,
  checkTicketAssets,
  type JobAsset,
  readJobAssets,
} from './jobs/job-assets.ts';
export { jobIdHex, jobSampleKey } from './jobs/job-key.ts';
export {
  type AssetTicketInput,
  decodeJobTicket,
  encodeJobTicket,
  JOB_TICKET_FORMAT,
  type JobTicket,
  ticketHash,
} from './jobs/job-ticket.ts';
export { jobProgressProtocol, jobTicketFetchProtocol } from './jobs/protocols.ts';
export {
  checkAssetTicket,
  datasetShapeOf,
  loadTicketDataset,
  materializeTicketData,
  type TicketData,
} from './jobs/ticket-data.ts';
export * from './msmg/index.ts';
export * from './switching/index.ts';
export * from './verify/index.ts';
export * from './worker/index.ts';
