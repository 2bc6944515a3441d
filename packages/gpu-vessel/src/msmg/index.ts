/** MSMG (multi-server multi-GPU) training: the deterministic all-reduce, its libp2p links, the sandboxed rank
 * worker, the package-level group supervisor, the pay split, and the node roles that run groups between nodes. */

export { type GroupMemberInit, GroupMemberService } from '../agent/group-member.ts';
export { type GroupPlan, msmgJoinProtocol, msmgPlanProtocol } from '../agent/group-protocols.ts';
export { type GroupStatus, groupSizeOf, groupStatusOf, MsmgLeadService } from '../agent/group-service.ts';
export { chainAllReduce, DEFAULT_CHUNK_FLOATS, type RankLinks } from './chain-all-reduce.ts';
export { decodeFrame, encodeFrame, type Frame, Phase } from './frames.ts';
export { type GroupLinks, type GroupMember, MSMG_PROTOCOL, openGroupLinks } from './group-links.ts';
export { type MsmgGroupInit, type MsmgGroupResult, runMsmgGroup, type WorkRecord } from './group-supervisor.ts';
export { payWorkerShares, type SharePayment } from './pay-workers.ts';
export { DEFAULT_RANK_LIMITS, type RankLimits, startRankProcess } from './rank-process.ts';
export { type MsmgWorkerConfig, parseWorkerConfig, type WorkerEvent } from './worker-config.ts';
export { type WorkerShare, workerShares } from './worker-shares.ts';
